"""The figures of a mémoire d'insertion (the document a tender's answer carries): which member structures can
operate on the tender's territory and activities, and every figure of the document, each taken from the
indicator functions (kpis, accompagnement, emplois, marches) for the same year and territory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from impact import geo, privacy
from impact.db import Database
from impact.filters import Filtres
from impact.indicators import accompagnement, emplois, listes, marches
from impact.indicators.core import kpis


@dataclass(frozen=True)
class Demande:
    """What the tender asks: its title, buyer, territory (INSEE codes), activities and volume of hours."""

    titre: str
    acheteur: str
    annee: int
    communes: tuple[str, ...] = ()  # communes nouvelles, déléguées or neighbouring communes (any known code)
    activites: tuple[str, ...] = ()
    heures: float | None = None


@dataclass
class Memoire:
    demande: Demande
    territoire: tuple[str, ...]  # codes of communes nouvelles (or neighbouring communes): the filters' level
    territoire_noms: list[str]
    donnees_au: date | None
    structures: pd.DataFrame  # memoire_structures.sql
    selection_elargie: bool  # no structure matched: every member with interventions is shown
    kpis: dict  # the collective, the year (exactly kpis)
    kpis_territoire: (
        dict | None
    )  # the year, commune filter = territory (hours worked there, residents' exits)
    etp_structures: float  # ETP of the operating structures, everywhere
    encadrement: accompagnement.Encadrement
    publics: pd.DataFrame
    formations: dict
    formations_domaines: pd.DataFrame
    formations_certifiantes: pd.DataFrame
    references: pd.DataFrame  # marches.liste over every year of the data up to the year
    suivi: accompagnement.Suivi6Mois
    suivi_territoire: accompagnement.Suivi6Mois | None
    base_etp_legale: float
    # The counts of the territory (kpis_territoire, suivi_territoire) and of the operating structures
    # (formations) that the document hides because the sheets of the communes or structures give them back
    # (privacy.union_hides): the union minus the parts printed elsewhere.
    caches_territoire: frozenset = frozenset()
    caches_structures: frozenset = frozenset()
    domaines_caches: pd.DataFrame | None = None  # cells of formations_domaines hidden the same way
    extra: dict = field(default_factory=dict)


# The counts of people the territory's and the structures' paragraphs print (kpis, Suivi6Mois, formations).
SORTIES_COMPTES = ("sorties", "sorties_examinees", "sorties_dynamiques", "sorties_emploi_durable")
SUIVI_COMPTES = ("personnes_suivies", "en_emploi", "employeur_partenaire")
FORMATIONS_COMPTES = ("formations", "certifiantes", "personnes_formees")


def _caches(per_part: dict, inside, keys) -> frozenset:
    """The keys whose count for the union of `inside` gives back a count a part's own sheet hides."""

    def value(x, key):
        return x[key] if isinstance(x, dict) else getattr(x, key)

    return frozenset(
        k for k in keys if privacy.union_hides({p: value(x, k) for p, x in per_part.items()}, inside)
    )


def caches_territoire(db: Database, annee: int, terr: tuple[str, ...]) -> frozenset:
    """Counts of the territory's exits and follow-up that a commune's sheet (Fiche commune) would give back."""
    if not terr:
        return frozenset()
    codes = listes.communes_nouvelles(db)
    one = {c: Filtres.annee(annee, communes=(c,)) for c in codes}
    k = {c: kpis(db, f) for c, f in one.items()}
    su = {c: accompagnement.suivi_6_mois(db, f) for c, f in one.items()}
    return _caches(k, terr, SORTIES_COMPTES) | _caches(su, terr, SUIVI_COMPTES)


def domaines_caches(
    db: Database, annee: int, ids: tuple[str, ...], domaines: pd.DataFrame
) -> pd.DataFrame | None:
    """The cells of the structures retained's trainings by domain that the same table of a fiche structure would
    give back (privacy.union_hides, domain by domain): forced masks for privacy.mask_counts."""
    if not ids or domaines.empty:
        return None
    everyone = listes.structures(db)["structure_id"].astype(str)
    g = accompagnement.formations_groupes(db, Filtres.annee(annee))
    per = g.groupby(["domaine_libelle", "structure_id"])[["formations", "certifiantes"]].sum()
    cols = ["formations", "certifiantes"]
    hidden = pd.DataFrame(False, index=domaines.index, columns=cols)
    for i, libelle in domaines["domaine_libelle"].items():
        for col in cols:
            parts = {s: per[col].get((libelle, s), 0) for s in everyone}
            hidden.at[i, col] = privacy.union_hides(parts, ids)
    return hidden


def caches_structures(db: Database, annee: int, ids: tuple[str, ...]) -> frozenset:
    """Counts of the operating structures' trainings that a structure's sheet (fiche structure) would give back."""
    if not ids:
        return frozenset()
    everyone = listes.structures(db)["structure_id"].astype(str)
    trained = accompagnement.formations_comptes_par_structure(db, Filtres.annee(annee))
    zero = dict.fromkeys(FORMATIONS_COMPTES, 0)
    return _caches({s: trained.get(s, zero) for s in everyone}, ids, FORMATIONS_COMPTES)


def territoire(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Commune nouvelle (or neighbouring commune) of each code; raises ValueError naming an unknown code."""
    out: list[str] = []
    for code in codes:
        nouvelle = geo.commune_nouvelle(code)
        if nouvelle is None:
            raise ValueError(f"code INSEE inconnu : {code}")
        if nouvelle not in out:
            out.append(nouvelle)
    return tuple(out)


def structures_retenues(db: Database, annee: int, communes: tuple[str, ...], activites: tuple[str, ...]):
    return db.run(
        "memoire_structures",
        annee=annee,
        communes=list(communes) or None,
        activites=[a.strip() for a in activites if a.strip()] or None,
    )


def memoire(db: Database, demande: Demande) -> Memoire:
    terr = territoire(demande.communes)
    s = structures_retenues(db, demande.annee, terr, demande.activites)
    elargie = s.empty
    if elargie:
        s = structures_retenues(db, demande.annee, (), ())
    ids = tuple(s["structure_id"].astype(str))
    annee = Filtres.annee(demande.annee)
    des_structures = Filtres.annee(demande.annee, structures=ids or None)
    sur_territoire = Filtres.annee(demande.annee, communes=terr) if terr else None
    annees = listes.annees(db)
    bases = db.run("reference_bases_etp")
    legale = bases.loc[bases["type"] == "*", "heures_annuelles"]
    domaines = accompagnement.formations_par_domaine(db, des_structures)
    return Memoire(
        demande=demande,
        territoire=terr,
        territoire_noms=[geo.commune_name(c) or c for c in terr],
        donnees_au=db.donnees_au,
        structures=s,
        selection_elargie=elargie,
        kpis=kpis(db, annee),
        kpis_territoire=kpis(db, sur_territoire) if sur_territoire else None,
        etp_structures=float(kpis(db, des_structures)["etp"]),
        encadrement=accompagnement.encadrement(db, des_structures),
        publics=emplois.publics(db, des_structures),
        formations=accompagnement.formations(db, des_structures),
        formations_domaines=domaines,
        formations_certifiantes=accompagnement.formations_certifiantes(db, des_structures),
        references=marches.liste(db, Filtres(min(annees[0], demande.annee), demande.annee)),
        suivi=accompagnement.suivi_6_mois(db, annee),
        suivi_territoire=accompagnement.suivi_6_mois(db, sur_territoire) if sur_territoire else None,
        base_etp_legale=float(legale.iloc[0]) if not legale.empty else 1607.0,
        caches_territoire=caches_territoire(db, demande.annee, terr),
        caches_structures=caches_structures(db, demande.annee, ids),
        domaines_caches=domaines_caches(db, demande.annee, ids, domaines),
    )


def choix(db: Database) -> dict[str, dict[str, str]]:
    """{'commune': {code: label}, 'activite': {activity: activity}}: what the page offers to pick."""
    df = db.run("memoire_choix")
    return {
        genre: dict(zip(part["valeur"], part["libelle"], strict=True))
        for genre, part in df.groupby("genre", sort=False)
    }
