"""Figures of the annual report for the board (bilan annuel): the year against the two previous years.

The report covers the whole collective (no commune, structure or contract filter). Key figures come from
impact.indicators.core (kpis, heures) so that they equal the home page and `python -m impact kpis`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from impact import filters, fmt, privacy
from impact.db import Database
from impact.filters import Filtres, annee_incomplete
from impact.indicators import core, emplois, listes, sorties, vue
from impact.indicators.accompagnement import Suivi6Mois, suivi_6_mois

# (key, label, kind): kind drives formatting (hours, people, etp, euros, rate, count) and masking (people).
INDICATEURS: tuple[tuple[str, str, str], ...] = (
    ("heures_travaillees", "Heures travaillées", "heures"),
    ("heures_marches_publics", "dont heures sur marchés publics", "heures"),
    ("heures_partenariats_prives", "dont heures en partenariats privés", "heures"),
    ("heures_facturees", "Heures facturées (AI, ETTI)", "heures"),
    ("heures_formation", "Heures de formation", "heures"),
    ("etp", "Équivalents temps plein", "etp"),
    ("personnes_employees", "Personnes employées", "personnes"),
    ("salaries_en_parcours", "Salariés en parcours (IAE)", "personnes"),
    ("structures_actives", "Structures actives", "nombre"),
    ("sorties", "Sorties (IAE)", "personnes"),
    ("sorties_examinees", "Sorties examinées", "personnes"),
    ("sorties_emploi_durable", "Sorties en emploi durable", "personnes"),
    ("taux_sortie_dynamique", "Taux de sortie dynamique", "taux"),
    ("taux_sortie_emploi_durable", "Taux de sortie en emploi durable", "taux"),
    ("chiffre_affaires", "Chiffre d'affaires (HT)", "euros"),
)

# The publics of the report: those of the Emplois page, named as it names them (one wording).
PUBLICS: tuple[tuple[str, str], ...] = tuple(emplois.PUBLICS.items())


def annees_bilan(annee: int) -> list[int]:
    return [annee - 2, annee - 1, annee]


def annee_par_defaut(db: Database) -> int:
    """The latest complete calendar year of the data (the latest year if none is complete)."""
    return filters.annee_par_defaut(listes.annees(db) or [date.today().year], db.donnees_au)


def chiffres_annee(db: Database, annee: int) -> dict:
    """Every figure of INDICATEURS for one year (rates as fractions or None, with n/N in `_n`/`_N`)."""
    f = Filtres.annee(annee)
    k = core.kpis(db, f)
    h = core.heures(db, f)
    s = core.sorties(db, f)
    out = {key: k.get(key) for key, _, _ in INDICATEURS if key in k}
    out["heures_facturees"] = round(h["heures_facturees"], 2)
    out["heures_formation"] = round(h["heures_formation"], 2)
    # Same definition as kpis' heures_travaillees under the sector filter (core.heures is its source).
    for key, secteur in (("heures_marches_publics", "public"), ("heures_partenariats_prives", "prive")):
        out[key] = round(core.heures(db, Filtres.annee(annee, secteurs=(secteur,)))["heures_travaillees"], 2)
    out["structures_actives"] = vue.structures_actives(db, f)
    for key in ("taux_sortie_dynamique", "taux_sortie_emploi_durable"):
        out[f"{key}_n"] = s[key].n
        out[f"{key}_N"] = s[key].N
    return out


def comparaison(db: Database, annee: int) -> pd.DataFrame:
    """One row per key figure: indicateur, libelle, nature, the three years (columns "2023", "2024",
    "2025"), ecart (year − previous year) and variation (relative change, None for rates or from 0)."""
    years = annees_bilan(annee)
    per_year = {y: chiffres_annee(db, y) for y in years}
    rows = []
    for key, label, kind in INDICATEURS:
        row = {"indicateur": key, "libelle": label, "nature": kind}
        for y in years:
            row[str(y)] = per_year[y][key]
        cur, prev = per_year[annee][key], per_year[annee - 1][key]
        row["ecart"] = None if cur is None or prev is None else round(cur - prev, 4)
        row["variation"] = None if kind == "taux" or not prev or cur is None else (cur - prev) / prev
        if kind == "taux":
            for y in years:  # n and N of each year: a masked view hides a rate that gives a small count back
                row[f"n_{y}"], row[f"N_{y}"] = per_year[y][key + "_n"], per_year[y][key + "_N"]
            row["n"], row["N"] = row[f"n_{annee}"], row[f"N_{annee}"]
            row["n_N"] = f"{row['n']}/{row['N']}"
        rows.append(row)
    df = pd.DataFrame(rows)
    # Object columns keep None (no rate under 10 examined exits) instead of NaN.
    values = [str(y) for y in years] + ["ecart", "variation"]
    df[values] = df[values].astype(object).where(df[values].notna(), None)
    return df


def heures_structures(db: Database, annee: int) -> pd.DataFrame:
    """Per structure for the year: hours worked, billed and of training, people employed, ETP."""
    df = db.run("bilan_structures", **Filtres.annee(annee).params())
    for c in ("heures_travaillees", "heures_facturees", "heures_formation", "etp"):
        df[c] = df[c].astype(float).round(2)
    df["personnes_employees"] = df["personnes_employees"].astype(int)
    return df.drop(columns=["structure_id", "famille"])


def sorties_structures(db: Database, annee: int) -> pd.DataFrame:
    """Per IAE structure for the year: exits, examined exits by category, withdrawals, and the dynamic rate
    (None below 10 examined exits); structure_id names the line for the masking (sorties.masques), never
    printed."""
    groups = core.sorties_groupes(db, Filtres.annee(annee))
    counts = list(core.SORTIES_COUNTS)
    df = (
        groups.groupby(["structure_id", "structure_nom", "type"], as_index=False)[counts]
        .sum()
        .rename(columns={"structure_nom": "structure"})
        .sort_values(["sorties", "structure"], ascending=[False, True], ignore_index=True)
    )
    df[counts] = df[counts].astype(int)
    df["taux_sortie_dynamique"] = [
        core.Taux(int(n), int(N)).value
        for n, N in zip(df["sorties_dynamiques"], df["sorties_examinees"], strict=True)
    ]
    return df


def marches(db: Database, annee: int) -> pd.DataFrame:
    """Contracts and partnerships of the year: planned hours, hours delivered in the year and since the
    start, people (≥ 1 hour in the year), revenue of the year on the contract."""
    df = db.run("bilan_marches", **Filtres.annee(annee).params())
    for c in ("heures_insertion_prevues", "heures_periode", "heures_cumul", "chiffre_affaires"):
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    if "chiffre_affaires" in db.absent:
        df["chiffre_affaires"] = float("nan")  # no revenue file: not known, not 0
    df["personnes"] = df["personnes"].astype(int)
    return df.drop(columns=["marche_id"])


def chiffre_affaires(db: Database, annee: int) -> pd.DataFrame:
    """Revenue per structure (rows) for the three years (columns "2023", "2024", "2025"), with a total row."""
    years = annees_bilan(annee)
    df = db.run("bilan_chiffre_affaires", **Filtres(years[0], years[-1]).params())
    cols = [str(y) for y in years]
    if df.empty:
        return pd.DataFrame(columns=["structure", "type", *cols])
    df["annee"] = df["annee"].astype(int).astype(str)
    wide = df.pivot_table(
        index=["structure", "type"], columns="annee", values="chiffre_affaires", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(columns=cols, fill_value=0.0).reset_index()
    wide = wide.sort_values(cols[-1], ascending=False, ignore_index=True)
    wide.columns.name = None
    total = {"structure": "Total", "type": "", **{c: float(wide[c].sum()) for c in cols}}
    return pd.concat([wide, pd.DataFrame([total])], ignore_index=True)


def publics(db: Database, annee: int) -> pd.DataFrame:
    """For each public (rows) and each of the three years: people employed in that public; `part`: share
    of the people employed in the year (the first row is everybody). Same definition as the Emplois page
    (impact.indicators.emplois.publics), year by year."""
    years = annees_bilan(annee)
    per_year = {y: emplois.publics(db, Filtres.annee(y)).set_index("public") for y in years}
    rows = [
        {"public": "Personnes employées (ensemble)"}
        | {str(y): int(per_year[y]["personnes_employees"].iloc[0]) if len(per_year[y]) else 0 for y in years}
    ]
    for key, label in PUBLICS:
        rows.append({"public": label} | {str(y): int(per_year[y].at[key, "personnes"]) for y in years})
    res = pd.DataFrame(rows)
    ensemble = res.at[0, str(annee)]
    res["part"] = [None] + [v / ensemble if ensemble else None for v in res[str(annee)].iloc[1:]]
    return res


def sorties_annees(db: Database, annee: int) -> pd.DataFrame:
    """For each of the three years: IAE exits, examined exits by category and withdrawals (core.sorties)."""
    keys = core.SORTIES_COUNTS
    rows = []
    for y in annees_bilan(annee):
        s = core.sorties(db, Filtres.annee(y))
        rows.append({"annee": y, **{k: s[k] for k in keys}})
    return pd.DataFrame(rows)


@dataclass
class Bilan:
    """Everything the annual report shows (page, PDF, XLSX): computed once."""

    annee: int
    comparaison: pd.DataFrame
    heures_structures: pd.DataFrame
    sorties_structures: pd.DataFrame
    marches: pd.DataFrame
    chiffre_affaires: pd.DataFrame
    publics: pd.DataFrame
    sorties_annees: pd.DataFrame
    donnees_au: date | None
    # The exit counts a masked view hides in sorties_structures and sorties_annees (same index, columns
    # SORTIES_COUNTS): masked with the Sorties and Structures pages of the year (sorties.masques), so that the
    # report and those pages never give back together what one of them hides.
    sorties_masques: pd.DataFrame | None = None
    annees_masques: pd.DataFrame | None = None
    # "En emploi 6 mois après la sortie" for the year's exits: the collective's own follow-up, apart from the
    # two official ASP rates and never mixed with them (accompagnement.suivi_6_mois).
    suivi: Suivi6Mois | None = None

    @property
    def annees(self) -> list[int]:
        return annees_bilan(self.annee)

    def valeur(self, key: str, annee: int | None = None):
        return self.chiffres(annee)[key]

    def chiffres(self, annee: int | None = None) -> dict:
        """The figures of a year as a dict {indicateur: value}, None where missing (for privacy.beside): one
        pass over the table (the annual report asks for them once per people count and year)."""
        values = self.comparaison[str(annee or self.annee)]
        return {
            key: None if v is None or pd.isna(v) else v
            for key, v in zip(self.comparaison["indicateur"], values, strict=True)
        }

    def rapport(self, key: str) -> tuple[int, int]:
        """(n, N) of a rate of the year: numerator and examined exits."""
        row = self.comparaison.set_index("indicateur").loc[key]
        return int(row["n"]), int(row["N"])

    @property
    def annee_incomplete(self) -> bool:
        return annee_incomplete(self.annee, self.donnees_au)

    def sorties_rangees(self, masked: bool = True) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """The exits by structure and the cells masked with the other tables (None unmasked), in the order a
        view prints them: most exits first; masked, most examined exits first (the bars it draws) and the
        lines whose examined exits are hidden last, by name: their rank among printed ones would bound them."""
        df = self.sorties_structures
        if not masked or self.sorties_masques is None:
            return df, None
        df = df.sort_values(["sorties_examinees", "structure"], ascending=[False, True])
        counts = ["sorties_examinees", *(c for c in core.SORTIES_COUNTS if c != "sorties_examinees")]
        return sorties.masques_en_dernier(df, self.sorties_masques.loc[df.index], counts, "structure")

    def publics_masques(self, masked: bool = True) -> pd.DataFrame:
        """The publics as a view outside the team shows them: they overlap (no total to recompute a cell
        from), so each small count is masked on its own, with its share."""
        if not masked:
            return self.publics
        return privacy.mask_total_and_subsets(
            self.publics, [str(y) for y in self.annees], {"part": str(self.annee)}
        )

    def par_annee(self, key: str, value_name: str) -> pd.DataFrame:
        """One indicator over the three years, for a chart: année (text), value_name (0 when absent)."""
        row = self.comparaison[self.comparaison["indicateur"] == key]
        long = row.melt(value_vars=[str(y) for y in self.annees], var_name="année", value_name=value_name)
        return long.fillna(0)

    def ecart_texte(self, key: str) -> str | None:
        """The change of an indicator against the previous year as a metric's delta: "+3,2 %", or "−3,5 pt"
        for a rate (the arrow and its colour follow the sign, ui.metric); None when a year is missing."""
        row = self.comparaison.set_index("indicateur").loc[key]
        if row["nature"] == "taux":
            if pd.isna(row["ecart"]) or pd.isna(row[str(self.annee - 1)]):
                return None
            e = row["ecart"] * 100
            return f"{fmt.sign(e)}{fmt.number(abs(e), 1)} pt par rapport à {self.annee - 1}"
        if pd.isna(row["variation"]):
            return None
        v = row["variation"]
        return f"{fmt.sign(v)}{fmt.percent(abs(v))} par rapport à {self.annee - 1}"


def bilan(db: Database, annee: int) -> Bilan:
    ss, sa = sorties_structures(db, annee), sorties_annees(db, annee)
    masques = sorties.masques(db, Filtres.annee(annee), ("structure", "bilan_annees"))
    return Bilan(
        annee=annee,
        comparaison=comparaison(db, annee),
        heures_structures=heures_structures(db, annee),
        sorties_structures=ss.drop(columns=["structure_id"]),
        sorties_masques=sorties.forced_for(ss, "structure_id", masques["structure"]),
        annees_masques=sorties.forced_for(sa, "annee", masques["bilan_annees"]),
        marches=marches(db, annee),
        chiffre_affaires=chiffre_affaires(db, annee),
        publics=publics(db, annee),
        sorties_annees=sa,
        donnees_au=db.donnees_au,
        suivi=suivi_6_mois(db, Filtres.annee(annee)),
    )
