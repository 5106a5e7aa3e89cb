"""Figures of the "Sorties" page: exits by category and reason, the two official rates by year, type, structure.

One definition: every count comes from queries with the macro parcours_f and the column `examinee`
(queries/sorties_groupes.sql, summed by impact.indicators.core.sorties for the key figures), so a group's figures equal `kpis` under that group's filter. Rates are
IAE figures (famille = 'IAE'); exits of the other structures are counted apart, never in a rate.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import pandas as pd

from impact import fmt, privacy
from impact.contract import DYNAMIC_CATEGORIES
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import core, listes
from impact.indicators.core import MIN_SORTIES_TAUX, SORTIES_COUNTS, Taux, sorties_groupes
from impact.indicators.reference import categories_sortie

COUNTS = SORTIES_COUNTS
SANS_CATEGORIE = "sans_categorie"
SANS_CATEGORIE_LIBELLE = "Motif non renseigné ou hors référentiel"
NON_EXAMINEE = (
    "non_examinee"  # the Fiche commune's line of the exits below the minimum presence (commune_sorties.sql)
)
RAISON_SANS_TAUX = f"— (moins de {MIN_SORTIES_TAUX} sorties examinées)"
PAR = {"annee": ["annee"], "type": ["type"], "structure": ["structure_id", "structure_nom", "type"]}


# What the charts of the Sorties page show, as their captions say it.
LECTURE_CATEGORIES = (
    "Les cinq catégories de l'ASP (leur table est sur la page Méthodologie). Emploi durable, emploi "
    "de transition et sortie positive font le numérateur du taux de sortie dynamique ; les retraits "
    "(sorties neutralisées) sont exclus des taux ; une sortie examinée a atteint la durée minimale de "
    "présence."
)
HORS_IAE = (
    "Ces sorties ne relèvent pas de l'IAE : elles ne sont comptées dans aucun taux de sortie ni dans les "
    "chiffres clés ci-dessus. Catégories de la même table de correspondance, à titre indicatif."
)


def _groupes(db: Database, f: Filtres) -> pd.DataFrame:
    return sorties_groupes(db, f).astype({"annee": int})


def _with_rates(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    dyn = [
        Taux(int(n), int(N)) for n, N in zip(df["sorties_dynamiques"], df["sorties_examinees"], strict=True)
    ]
    dur = [
        Taux(int(n), int(N))
        for n, N in zip(df["sorties_emploi_durable"], df["sorties_examinees"], strict=True)
    ]
    df["taux_sortie_dynamique"] = [t.value for t in dyn]
    df["taux_sortie_emploi_durable"] = [t.value for t in dur]
    return df


def taux(db: Database, f: Filtres, par: str) -> pd.DataFrame:
    """IAE exits and the two rates per group of the period: par = "annee", "type" or "structure".

    Columns: the group key(s), the counts of sorties_groupes, sorties_dynamiques (numerator of the dynamic
    rate), taux_sortie_dynamique and taux_sortie_emploi_durable (None below 10 examined exits).
    """
    keys = PAR[par]
    df = _groupes(db, f)
    if df.empty:
        return pd.DataFrame(columns=[*keys, *COUNTS, *_RATES])
    out = df.groupby(keys, as_index=False, sort=True)[list(COUNTS)].sum()
    if par == "structure":
        out = out.sort_values(["type", "structure_nom"]).reset_index(drop=True)
    return _with_rates(out)


_RATES = ("taux_sortie_dynamique", "taux_sortie_emploi_durable")


def taux_par_annee(db: Database, f: Filtres) -> pd.DataFrame:
    """The rates year by year since the first year of the data (the other filters kept), every year listed."""
    annees = listes.annees(db)
    if not annees:
        return taux(db, f, "annee")
    df = taux(db, f.all_years(annees), "annee")
    full = pd.DataFrame({"annee": annees}).merge(df, on="annee", how="left")
    for c in COUNTS:
        full[c] = full[c].fillna(0).astype(int)
    for c in _RATES:
        full[c] = full[c].astype(object).where(full[c].notna(), None)
    return full


def par_categorie(db: Database, f: Filtres, *, iae: bool = True) -> pd.DataFrame:
    """Exits of the period by ASP category (all five listed, then exits without a category if any).

    iae=True: IAE exits, with the examined ones (their sum is kpis' sorties_examinees);
    iae=False: exits of the other structures (EA, ESAT, accompaniment), never part of a rate.
    """
    df = _categories_raw(db, f, iae)
    ref = categories_sortie(db)[["categorie", "libelle"]]
    sums = df.groupby("categorie", as_index=False)[["sorties", "sorties_examinees"]].sum()
    out = ref.merge(sums, on="categorie", how="left")
    extra = df[df["categorie"] == SANS_CATEGORIE]
    if not extra.empty:
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    [
                        {
                            "categorie": SANS_CATEGORIE,
                            "libelle": SANS_CATEGORIE_LIBELLE,
                            "sorties": extra["sorties"].sum(),
                            "sorties_examinees": extra["sorties_examinees"].sum(),
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    out[["sorties", "sorties_examinees"]] = out[["sorties", "sorties_examinees"]].fillna(0).astype(int)
    if not iae:
        out = out.drop(columns="sorties_examinees")
    return out


def _categories_raw(db: Database, f: Filtres, iae: bool) -> pd.DataFrame:
    df = db.run("sorties_categories", **f.params())
    df = df[(df["famille"] == "IAE") == iae].copy()
    df["categorie"] = df["categorie"].fillna(SANS_CATEGORIE)
    return df.astype({"sorties": int, "sorties_examinees": int})


def categorie_par_type(db: Database, f: Filtres, *, iae: bool = True) -> pd.DataFrame:
    """Exits of the period: one line per structure type, one column per category label (all exits)."""
    df = _categories_raw(db, f, iae)
    ref = categories_sortie(db)
    labels = dict(zip(ref["categorie"], ref["libelle"], strict=True)) | {
        SANS_CATEGORIE: SANS_CATEGORIE_LIBELLE
    }
    if df.empty:
        return pd.DataFrame(columns=["type", *ref["libelle"]])
    wide = df.pivot_table(index="type", columns="categorie", values="sorties", aggfunc="sum", fill_value=0)
    cols = [c for c in ref["categorie"]] + ([SANS_CATEGORIE] if SANS_CATEGORIE in wide.columns else [])
    wide = wide.reindex(columns=cols, fill_value=0).astype(int)
    wide.columns = [labels[c] for c in wide.columns]
    return wide.reset_index()


def par_motif(db: Database, f: Filtres) -> pd.DataFrame:
    """IAE exits of the period by exit reason: motif (code), libelle, categorie (label), sorties, examined."""
    df = db.run("sorties_motifs", **f.params())
    ref = categories_sortie(db)
    labels = dict(zip(ref["categorie"], ref["libelle"], strict=True))
    df["libelle"] = [
        lib
        if isinstance(lib, str)
        else ("Motif non renseigné" if not isinstance(m, str) else f"Motif inconnu ({m})")
        for m, lib in zip(df["motif"], df["motif_libelle"], strict=True)
    ]
    df["categorie"] = df["categorie"].map(lambda c: labels.get(c, SANS_CATEGORIE_LIBELLE))
    df["motif"] = df["motif"].fillna("")
    df = df.astype({"sorties": int, "sorties_examinees": int})
    return df[["motif", "libelle", "categorie", "sorties", "sorties_examinees"]]


def taux_texte(value) -> str:
    """A rate cell: "62,5 %", or "—" with the reason when fewer than 10 exits were examined."""
    if isinstance(value, str):  # already masked (presentation mode)
        return value
    if value is None or pd.isna(value):
        return RAISON_SANS_TAUX
    return fmt.percent(value)


def tableau_taux(df: pd.DataFrame, par: str) -> pd.DataFrame:
    """The table shown under a rate chart: group, counts (n and N next to each rate) and the rate cells."""
    key = {"annee": ["annee"], "type": ["type"], "structure": ["structure_nom", "type"]}[par]
    names = {
        "annee": "année",
        "type": "type",
        "structure_nom": "structure",
        "sorties": "sorties",
        "sorties_examinees": "sorties examinées (N)",
        "sorties_dynamiques": "sorties dynamiques (n)",
        "taux_sortie_dynamique": "taux de sortie dynamique",
        "sorties_emploi_durable": "sorties en emploi durable (n)",
        "taux_sortie_emploi_durable": "taux de sortie en emploi durable",
    }
    out = df[
        [
            *key,
            "sorties",
            "sorties_examinees",
            "sorties_dynamiques",
            "taux_sortie_dynamique",
            "sorties_emploi_durable",
            "taux_sortie_emploi_durable",
        ]
    ].copy()
    for c in _RATES:
        out[c] = out[c].map(taux_texte)
    if "annee" in out:
        out["annee"] = out["annee"].astype(str)
    return out.rename(columns=names)


# The counts printed next to the rates (tableau_taux), and each rate's (n, N): what a masked view masks.
TAUX_COUNTS = ["sorties", "sorties_examinees", "sorties_dynamiques", "sorties_emploi_durable"]
TAUX_RATES = {
    "taux_sortie_dynamique": ("sorties_dynamiques", "sorties_examinees"),
    "taux_sortie_emploi_durable": ("sorties_emploi_durable", "sorties_examinees"),
}


def cellules(db: Database, f: Filtres) -> pd.DataFrame:
    """The finest table of the IAE exits of the period (queries/sorties_cellules.sql), with every combination of
    year, structure, reason and examined or not that a reader cannot rule out (n = 0 where none occurred): a
    reason's category and a structure's type are public, a withdrawal is never examined."""
    data = db.run("sorties_cellules", **f.params())
    data["categorie"] = data["categorie"].fillna(SANS_CATEGORIE)
    if data.empty:
        return data
    keys = ["annee", "structure_id", "type", "motif", "categorie", "examinee"]
    grid = (
        data[["annee"]]
        .drop_duplicates()
        .merge(data[["structure_id", "type"]].drop_duplicates(), how="cross")
        .merge(data[["motif", "categorie"]].drop_duplicates(), how="cross")
        .merge(pd.DataFrame({"examinee": [True, False]}), how="cross")
    )
    grid = grid[~((grid["categorie"] == "retrait") & grid["examinee"])]
    out = grid.merge(data, on=keys, how="left")
    # The line of the Fiche commune each cell adds to: its category when examined, the withdrawals, the rest.
    ligne = np.where(
        out["categorie"] == "retrait", "retrait", np.where(out["examinee"], out["categorie"], NON_EXAMINEE)
    )
    return out.assign(n=out["n"].fillna(0).astype(int), ligne_fiche=ligne).reset_index(drop=True)


# The exit counts of sorties_groupes as selections of the finest table (cellules).
SELECTIONS = {
    "sorties": {},
    "sorties_examinees": {"examinee": True},
    "sorties_emploi_durable": {"examinee": True, "categorie": "emploi_durable"},
    "sorties_emploi_transition": {"examinee": True, "categorie": "emploi_transition"},
    "sorties_positives": {"examinee": True, "categorie": "sortie_positive"},
    "autres_sorties": {"examinee": True, "categorie": "autre_sortie"},
    "retraits": {"categorie": "retrait"},
    "sorties_dynamiques": {"examinee": True, "categorie": tuple(DYNAMIC_CATEGORIES)},
}
COMPTES_CATEGORIE = ["sorties", "sorties_examinees"]  # the two counts of a category or a reason, side by side


def _selections(counts) -> dict[str, dict]:
    return {c: SELECTIONS[c] for c in counts}


def tableaux(db: Database, f: Filtres) -> list[privacy.Tableau]:
    """Every table of IAE exits a masked view prints for the filter set f, as privacy.linked_masks reads them:
    the Sorties page (by category, type × category, reason, year, type, structure), the Structures page (its
    exit counts are those of the structures' rates), for one year of one commune the Fiche commune (its
    residents' exits by category, page and PDF) and, for one whole year of the whole collective, the Bilan
    annuel (exits by structure and by category over three years: its PDF and workbook)."""
    ref = categories_sortie(db)
    code = dict(zip(ref["libelle"], ref["categorie"], strict=True)) | {SANS_CATEGORIE_LIBELLE: SANS_CATEGORIE}
    cpt = categorie_par_type(db, f)
    out = [
        privacy.Tableau("categorie", par_categorie(db, f), "categorie", _selections(COMPTES_CATEGORIE)),
        privacy.Tableau(
            "categorie_type",
            cpt,
            "type",
            {c: {"categorie": code[c]} for c in cpt.columns if c != "type"},
            across_columns=True,
        ),
        privacy.Tableau("motif", par_motif(db, f), "motif", _selections(COMPTES_CATEGORIE), across_columns=True),
        privacy.Tableau("annee", taux_par_annee(db, f), "annee", _selections(TAUX_COUNTS)),
        privacy.Tableau("type", taux(db, f, "type"), "type", _selections(TAUX_COUNTS)),
        privacy.Tableau("structure", taux(db, f, "structure"), "structure_id", _selections(SORTIES_COUNTS),
                        across_columns=True),
    ]  # fmt: skip
    if f.communes and len(f.communes) == 1 and f == Filtres.annee(f.annee_fin, communes=f.communes):
        from impact.indicators import commune  # the Fiche commune of that commune and year: its exits

        fiche = commune.sorties(db, f.communes[0], f.annee_fin)
        out.append(privacy.Tableau("fiche_commune", fiche, "categorie", {"sorties": {}}, dim="ligne_fiche"))
    if f == Filtres.annee(f.annee_fin):  # the Bilan annuel of that year: its three years of exits
        from impact.indicators.bilan import sorties_annees  # bilan builds on this module

        out.append(privacy.Tableau("bilan_annees", sorties_annees(db, f.annee_fin), "annee",
                                   _selections(SORTIES_COUNTS), across_columns=True))  # fmt: skip
    return out


# masques() of each database and filter set, computed once in the process: the Sorties, Structures, Bilan,
# Fiche commune and Fiche structure pages of one filter set all read the same masks (a database dropped by a
# reload takes its entries with it; at most MASQUES_GARDES filter sets a database).
_MASQUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
MASQUES_GARDES = 256
# One audit at a time: a page that asks for the masks the background computation (impact.prefetch) is working
# out waits for them instead of computing them a second time beside it.
_AUDIT = threading.RLock()


def masques(db: Database, f: Filtres, tables: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """The exit counts each table of `tableaux` hides in a masked view beyond its own rules, so that none of
    them, with the key figures of the period, gives back a count another one hides (privacy.linked_masks):
    {table name: boolean frame indexed by the table's key (structure_id, type, categorie...), one column per
    count}. The pages pass them to the masking of each table (forced_for). Never modify them in place.
    tables: only these (the Fiche commune reads one table and never pays for the other years that a table of
    PAR_ANNEE needs, see _autres_annees)."""
    linked = _linked(db, f)
    return {
        name: _autres_annees(db, f, name, linked[name]) if name in PAR_ANNEE else linked[name]
        for name in tables or linked
    }


# Tables with a line per year that print years outside the period: the rates by year of the Sorties page
# (every year of the data), the Bilan's two previous years.
PAR_ANNEE = ("annee", "bilan_annees")


def _linked(db: Database, f: Filtres) -> dict[str, pd.DataFrame]:
    """_masques of f, computed once in the process."""
    known = _MASQUES.get(db)
    if known is None or f not in known:
        with _AUDIT:
            known = _MASQUES.setdefault(db, {})
            if f not in known:
                if len(known) >= MASQUES_GARDES:
                    known.pop(next(iter(known)))
                known[f] = _masques(db, f)
    return known[f]


def _autres_annees(db: Database, f: Filtres, name: str, forced: pd.DataFrame) -> pd.DataFrame:
    """The lines of a table of PAR_ANNEE for years outside f's period are outside the audit of f (outside its
    cells): each hides at least what the view of its own year (the same filters) hides. Masked by their own
    rules alone, they printed counts that view hid to protect a small one: the Sorties page of 2019 printed
    the 18 lasting-job exits of 2020 that the page of 2020 hid (90 such cells over the demo's years and
    communes); the 2021 Bilan, the 31 exits to transitional jobs of 2020 hidden by the 2020 Bilan."""
    out = forced.copy()
    for y in out.index:
        if not f.annee_debut <= int(y) <= f.annee_fin:
            own = _linked(db, f.with_period(int(y), int(y))).get(name)
            if own is not None and y in own.index:
                out.loc[y] = out.loc[y] | own.loc[y].reindex(out.columns, fill_value=False)
    return out


def _masques(db: Database, f: Filtres) -> dict[str, pd.DataFrame]:
    k = core.sorties(db, f)
    cells = cellules(db, f)
    tabs = tableaux(db, f)
    if cells.empty:
        return {t.name: pd.DataFrame(columns=list(t.columns)) for t in tabs}
    big_n = k["sorties_examinees"]
    fixes = [
        privacy.Fixe(
            {}, not isinstance(privacy.mask_value(privacy.toutes_sorties(k["sorties"], big_n, True)), str)
        ),
        privacy.Fixe(SELECTIONS["sorties_examinees"], not privacy.is_small(big_n)),
        # n of "n / N" beside a rate; the Fiche commune's sentence also writes the lasting jobs on their own
        privacy.Fixe(
            SELECTIONS["sorties_dynamiques"],
            privacy.ratio_text(k["sorties_dynamiques"], big_n, True) is not None,
        ),
        privacy.Fixe(SELECTIONS["sorties_emploi_durable"], not privacy.is_small(k["sorties_emploi_durable"])),
    ]
    forced = privacy.linked_masks(cells, tabs, fixes)
    return {t.name: privacy.relabel(forced[t.name], t.df[t.key].to_numpy()) for t in tabs}


def masques_en_dernier(
    df: pd.DataFrame, forced: pd.DataFrame, counts: list[str], label: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """df (sorted by its first count) and its forced cells, the lines whose first count a masked view hides
    moved after the others and put in the order of `label`: a hidden count placed by its value among printed
    ones would be bounded by its neighbours."""
    hidden = privacy.masks(df, counts, across_columns=True, forced=forced)[counts[0]].notna()
    order = list(df.index[~hidden]) + list(df[hidden].sort_values(label).index)
    return df.loc[order], forced.loc[order]


def forced_for(df: pd.DataFrame, key: str, masques: pd.DataFrame) -> pd.DataFrame:
    """The cells of one table of masques() for the lines of df (its key column: structure_id, type, categorie,
    motif or annee), on df's own index."""
    out = masques.reindex(df[key].to_numpy()).astype("boolean").fillna(False).astype(bool)
    if isinstance(connus := masques.attrs.get(privacy.CONNUS), privacy.Connus):  # the same lines, by key
        out.attrs[privacy.CONNUS] = privacy.Connus(connus.frame.reindex(df[key].to_numpy()))
    return privacy.relabel(out, df.index)


TAUX_COUNT_COLUMNS = [
    "sorties",
    "sorties examinées (N)",
    "sorties dynamiques (n)",
    "sorties en emploi durable (n)",
]


# --- Chart data --------------------------------------------------------------------------------------------

COMPTES = {"sorties": "Toutes les sorties", "sorties_examinees": "Sorties examinées (base des taux)"}
TAUX_SERIES = {
    "taux_sortie_dynamique": "Taux de sortie dynamique",
    "taux_sortie_emploi_durable": "Taux de sortie en emploi durable",
}


def comptes_par_categorie(chart: pd.DataFrame, masked: bool) -> pd.DataFrame:
    """par_categorie (as ui.chart_counts gives it) in long form: libelle, compte (legend), nombre. In a masked
    view one series only, the examined exits (the base of the rates): two series of masked marks side by side
    would write their words over each other, and without the withdrawals, never examined (their line read
    "Retrait : masqué" under the legend "Sorties examinées"). Each masked value keeps how it reads
    (privacy.melt)."""
    shown = ["sorties_examinees"] if masked else list(COMPTES)
    if masked and "categorie" in chart:
        chart = chart[chart["categorie"] != "retrait"]
    long = privacy.melt(chart, id_vars="libelle", value_vars=shown, var_name="compte", value_name="nombre")
    return long.assign(compte=long["compte"].map(COMPTES))


def avec_taux(df: pd.DataFrame) -> pd.DataFrame:
    """The groups of a rate table with a rate to draw (computed, and not hidden by the privacy rule): a group
    whose other rate is hidden keeps its bar, the hidden one written in words (taux_long)."""
    dyn = pd.to_numeric(df["taux_sortie_dynamique"], errors="coerce")
    dur = pd.to_numeric(df["taux_sortie_emploi_durable"], errors="coerce")
    return df[dyn.notna() | dur.notna()]


def sans_taux(df: pd.DataFrame, x: str) -> list[str]:
    """The groups with no dynamic rate: too few examined exits (a hidden rate is taux_masques')."""
    rate = df["taux_sortie_dynamique"]
    return [str(v) for v in df.loc[pd.to_numeric(rate, errors="coerce").isna() & ~_hidden(rate), x]]


def taux_masques(df: pd.DataFrame, x: str) -> str:
    """The groups whose rates a masked view hides (privacy.TAUX_MASQUE: they would give a small count back),
    said by rate: "les deux pour 2020, 2022 ; celui en emploi durable pour 2021" ("" when none is hidden)."""
    dyn, dur = _hidden(df["taux_sortie_dynamique"]), _hidden(df["taux_sortie_emploi_durable"])
    parts = [
        (label, [str(v) for v in df.loc[which, x]])
        for label, which in (
            ("les deux", dyn & dur),
            ("celui de sortie dynamique", dyn & ~dur),
            ("celui en emploi durable", dur & ~dyn),
        )
    ]
    return " ; ".join(f"{label} pour {', '.join(groups)}" for label, groups in parts if groups)


def _hidden(rates: pd.Series) -> pd.Series:
    return rates.map(lambda r: isinstance(r, str))


def taux_long(shown: pd.DataFrame, x: str) -> pd.DataFrame:
    """The two rates of each group in long form for a chart: x (text), taux (legend), valeur; a rate hidden
    by the privacy rule has no bar and says so in words (valeur + privacy.MARQUE)."""
    long = pd.concat(
        [
            shown[[x]].assign(
                taux=label,
                valeur=pd.to_numeric(shown[key], errors="coerce"),
                # "masqué" in the bar's place: the caption says why (taux_masques), a long word would not fit
                **{
                    "valeur" + privacy.MARQUE: shown[key].map(
                        lambda v: privacy.MASQUE_SECONDAIRE if isinstance(v, str) else None
                    )
                },
            )
            for key, label in TAUX_SERIES.items()
        ]
    )
    if long["valeur" + privacy.MARQUE].isna().all():
        long = long.drop(columns=["valeur" + privacy.MARQUE])
    return long.assign(**{x: long[x].astype(str)})
