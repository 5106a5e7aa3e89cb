"""Figures of the "Emplois et parcours" page: people, entries, ETP with its bases, contracts, publics, residence.

People are those of `kpis` (at least 1 hour worked in the period, in the filtered structures; with a
commune filter, the residents of the commune); their profile and residence are those of their latest
path (view `personnes`). Missing information is counted as "non renseigné" and kept in the denominator.
"""

from __future__ import annotations

import pandas as pd

from impact import fmt, privacy
from impact.db import Database
from impact.filters import Filtres
from impact.indicators.core import etp, heures

# Reference values of the publics (domain brief): shown on screen next to the figures.
AGE_JEUNE = 26  # "moins de 26 ans": age < 26
AGE_SENIOR = 50  # "50 ans et plus": age >= 50
# "Faible niveau de qualification (CAP/BEP ou moins)": values of parcours.niveau_formation.
NIVEAUX_FAIBLES = ("infra_cap", "cap_bep")
NIVEAU_LIBELLES = {
    "infra_cap": "infra CAP",
    "cap_bep": "CAP/BEP",
    "bac": "bac",
    "bac_plus": "supérieur au bac",
}

PUBLICS = {
    # key: label shown
    "femmes": "Femmes",
    "moins_de_26_ans": f"Moins de {AGE_JEUNE} ans",
    "age_50_ans_et_plus": f"{AGE_SENIOR} ans et plus",
    "rsa": "Bénéficiaires du RSA",
    "deld": "Demandeurs d'emploi de longue durée (DELD, 12 à 23 mois)",
    "detld": "Demandeurs d'emploi de très longue durée (DETLD, 24 mois et plus)",
    "rqth": "Reconnus travailleurs handicapés (RQTH)",
    "qpv": "Habitants d'un quartier prioritaire (QPV)",
    "faible_qualification": "Faible niveau de qualification (CAP/BEP ou moins)",
}

CONTRAT_LIBELLES = {
    "CDDI": "CDDI (contrat à durée déterminée d'insertion)",
    "mise_a_disposition": "Mise à disposition (AI)",
    "MAD": "Mise à disposition (AI)",
    "mission_interim": "Mission d'intérim (ETTI)",
    "mission": "Mission d'intérim (ETTI)",
    "accompagnement": "Accompagnement (sans contrat de travail)",
    "contrat_soutien": "Contrat de soutien et d'aide par le travail (ESAT)",
    "contrat_professionnalisation": "Contrat de professionnalisation",
    "contrat_apprentissage": "Contrat d'apprentissage",
    "travail_independant": "Travail indépendant (EITI)",
    "CDI": "CDI",
    "CDD": "CDD",
    "non_renseigne": "Non renseigné",
}


# What the charts of the page count, as their captions say it.
LECTURE_ETP = (
    "ETP = heures travaillées ÷ base annuelle d'un temps plein du type de structure pour l'année "
    "(table des bases sur la page Méthodologie) ; la base utilisée est dans le tableau, à côté de chaque ETP."
)
LECTURE_ENTREES = (
    "Parcours dont la date d'entrée tombe dans la période (un même parcours compte une fois) ; "
    "la colonne personnes compte les personnes distinctes. Avec un filtre de commune : commune de "
    "résidence déclarée dans le parcours."
)
LECTURE_CONTRATS = (
    "Contrat déclaré dans les parcours ouverts pendant la période, dans les structures où la personne "
    "a travaillé. Une personne qui a eu deux types de contrat compte dans chacun : la somme peut dépasser "
    "le nombre de personnes employées."
)


def annee_age(f: Filtres) -> int:
    """The year ages are computed for: the year of the period, or its end year for a range."""
    return f.annee_fin


def chiffres(db: Database, f: Filtres) -> dict:
    """People employed and in IAE paths (as kpis), new entries (paths and people), ETP (as kpis)."""
    h = heures(db, f)
    e = _entrees(db, f)
    total = e[e["total"]]
    return {
        "personnes_employees": h["personnes_employees"],
        "salaries_en_parcours": h["salaries_en_parcours"],
        "entrees": int(total["entrees"].iloc[0]) if len(total) else 0,
        "personnes_entrees": int(total["personnes"].iloc[0]) if len(total) else 0,
        "etp": round(etp(db, f), 2),
    }


def _entrees(db: Database, f: Filtres) -> pd.DataFrame:
    df = db.run("emplois_entrees", **f.params())
    return df.astype({"entrees": int, "personnes": int, "total": bool})


def entrees(db: Database, f: Filtres) -> pd.DataFrame:
    """Paths whose entry date falls in the period, by structure type: entrees (paths), personnes (distinct)."""
    df = _entrees(db, f)
    return df[~df["total"]][["type", "famille", "entrees", "personnes"]].reset_index(drop=True)


def etp_par_type(db: Database, f: Filtres) -> pd.DataFrame:
    """Hours worked, ETP base and ETP per structure type and year; ETP of the period = sum(etp) / years."""
    df = db.run("emplois_etp", **f.params())
    return df.astype({"annee": int, "heures_travaillees": float, "base_etp": float, "etp": float})


def bases_etp(db: Database, f: Filtres) -> pd.DataFrame:
    """The ETP base of each structure type with hours in the period, per year (distinct values only)."""
    df = etp_par_type(db, f)
    if df.empty:
        return pd.DataFrame(columns=["type", "annees", "base_etp"])
    rows = []
    for (t, base), part in df.groupby(["type", "base_etp"], sort=True):
        a = sorted(part["annee"])
        rows.append({"type": t, "annees": fmt.period(a[0], a[-1]), "base_etp": base})
    return pd.DataFrame(rows)


def contrats(db: Database, f: Filtres) -> pd.DataFrame:
    """People employed by contract type of their paths in the period (a person counts in each of hers)."""
    df = db.run("emplois_contrats", **f.params())
    df["personnes"] = df["personnes"].astype(int)
    df["libelle"] = df["contrat"].map(lambda c: CONTRAT_LIBELLES.get(c, c))
    return df[["contrat", "libelle", "personnes"]]


def publics(db: Database, f: Filtres) -> pd.DataFrame:
    """One line per public: personnes, non_renseigne (information missing), part = personnes / employed.

    The share's denominator is every person employed, the unknowns included (never silently dropped).
    """
    r = (
        db.run(
            "emplois_publics",
            annee_ref=annee_age(f),
            age_jeune=AGE_JEUNE,
            age_senior=AGE_SENIOR,
            niveaux_faibles=list(NIVEAUX_FAIBLES),
            **f.params(),
        )
        .iloc[0]
        .to_dict()
    )
    total = int(r["personnes_employees"])
    rows = []
    for key, label in PUBLICS.items():
        n = int(r[key])
        rows.append(
            {
                "public": key,
                "libelle": label,
                "personnes": n,
                "non_renseigne": int(r[f"{key}_nr"]),
                "personnes_employees": total,
                "part": n / total if total else None,
            }
        )
    return pd.DataFrame(rows)


def residence(db: Database, f: Filtres) -> pd.DataFrame:
    """People employed by commune nouvelle of residence (latest path); unknown and outside codes apart."""
    df = db.run("emplois_residence", **f.params())
    df["personnes"] = df["personnes"].astype(int)
    return df[["commune", "nom", "epci", "personnes"]]


def bases_utilisees(bases: pd.DataFrame, f: Filtres) -> str:
    """ "Bases des équivalents temps plein : ACI 1 820 h · AI 1 607 h" under the key figures (bases_etp), with
    their years when the period has several."""
    return "Bases des équivalents temps plein : " + " · ".join(
        f"{b.type} {fmt.hours(b.base_etp)}" + (f" ({b.annees})" if f.nb_annees > 1 else "")
        for b in bases.itertuples()
    )


def lecture_publics(f: Filtres, *, masked: bool) -> str:
    """How the publics are defined (the thresholds above), as the caption of their chart says it."""
    return (
        f"Profil du parcours le plus récent de chaque personne (vue « personnes »). Âge = {annee_age(f)} − année "
        "de naissance"
        + (" (année de fin de la période)" if f.nb_annees > 1 else "")
        + f" ; moins de {AGE_JEUNE} ans : âge < {AGE_JEUNE} ; seuil des seniors : "
        f"{AGE_SENIOR} ans et plus. Faible qualification : niveau de formation "
        + " ou ".join(
            NIVEAU_LIBELLES.get(n, n) for n in NIVEAUX_FAIBLES
        )  # the codes: in the contract (Méthodologie)
        + ". Une information manquante est comptée « non renseigné » et reste dans le dénominateur (les "
        "personnes employées). Une personne peut relever de plusieurs publics."
        + (
            f" Effectifs masqués : un public de moins de {privacy.SEUIL} personnes, ou dont le reste des personnes "
            f"employées compte moins de {privacy.SEUIL} personnes, est masqué avec sa part."
            if masked
            else ""
        )
    )


# The counts of a public (its share goes with the first) and the people employed (N) printed on its line.
PUBLICS_COMPTES = ["personnes", "non_renseigne", "personnes_employees"]


def publics_affiches(pub: pd.DataFrame, masked: bool, forced: pd.DataFrame | None = None) -> pd.DataFrame:
    """publics as a view prints them. Publics overlap (a person can be in several): no line adds up to a
    total, but each is printed with the people employed (N); in a masked view a count is masked when it or
    N − it is small, and its share with it (privacy.mask_shares), and each small unknown count on its own.
    forced: counts hidden besides (view.communes_forced), read MASQUE_SECONDAIRE. A hidden N hides every share:
    their rounded values would tell the denominator they share."""
    if not masked:
        return pub
    out = privacy.mask_each(
        privacy.mask_shares(pub, {"personnes": "personnes_employees"}, {"part": "personnes"}),
        ["non_renseigne"],
    )
    return privacy.hide(out, forced, {"part": "personnes"}, {"part": "personnes_employees"})


def publics_caches(pub: pd.DataFrame, forced: pd.DataFrame | None = None) -> pd.DataFrame:
    """The counts of publics_affiches that a masked view hides (True), for view.communes_forced."""
    shown = publics_affiches(pub, True, forced)[PUBLICS_COMPTES]
    return shown.apply(lambda col: col.map(lambda v: isinstance(v, str))).astype(bool)


def publics_graphique(shown: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The publics as a chart draws them (a hidden share is empty, never zero, its word written in the bar's
    place: privacy.MARQUE) and the end of its axis."""
    parts = pd.to_numeric(shown["part"], errors="coerce")
    top = float(parts.max() if parts.notna().any() else 0)
    words = shown["part"].map(lambda v: v if isinstance(v, str) else None)
    out = shown.assign(part=parts)
    if words.notna().any():
        out["part" + privacy.MARQUE] = words
    return out, min(1.0, top * 1.2 + 0.05)
