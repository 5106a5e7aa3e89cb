"""Audit of the exit tables a masked view prints together: can a hidden count be recomputed exactly from the
counts printed beside it, on the same page or on another page about the same exits?

Every count of exits printed (a tile, a cell of a table) is a sum of cells of the finest table, the IAE exits of
the period by structure, reason (motif) and examined or not: a line of a linear system whose unknowns are those
cells and whose right-hand side is known when the count is printed. A hidden count is given back when its
line is a linear combination of the printed ones (it lies in their row space): whatever the unknowns, it then
equals the same combination of printed values. What the reader knows besides is public: a reason's category
(Méthodologie page), a structure's type, and that a withdrawal is never examined.

This finds exact recomputation by sums and differences, with what the reader knows of counts that are never
negative (a count printed 0 empties its cells, two counts printed equal empty the cells one has beyond the other),
the attack the secondary suppression stops. It does not bound a hidden count between two values from the bounds
"< 5" (1 to 4) and "masqué" (5 or more) put on the hidden counts (interval disclosure, a linear programme)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impact import privacy
from impact.db import Database
from impact.filters import Filtres


@dataclass
class Audit:
    """The finest table of the IAE exits of a filter set (cells: year × structure × motif × examined), and the counts
    printed (known) or masked (hidden) over it."""

    cells: pd.DataFrame  # structure_id, type, motif, categorie, examinee, n
    known: list = field(default_factory=list)  # (label, selection vector, value)
    hidden: list = field(default_factory=list)  # (label, selection vector, true value)
    base: dict = field(default_factory=dict)  # the selection every count of this view adds to its own

    @classmethod
    def of(cls, db: Database, f: Filtres, communes: list[str] | None = None) -> Audit:
        """communes: the cells split by the commune of residence as well (those communes, and HORS for the
        residents of no commune of the list), for views of several communes audited together (view)."""
        commune = "coalesce(commune_residence, '')" if communes else "''"
        data = db.con.execute(
            "SELECT annee_sortie AS annee, structure_id, type, coalesce(motif_sortie, '') AS motif, categorie, "
            f"examinee, {commune} AS commune, count(*) AS n "
            "FROM parcours_f($annee_debut, $annee_fin, $communes, $types, $structures, $marches, $secteurs) "
            "WHERE famille = 'IAE' GROUP BY ALL",
            f.params(),
        ).df()
        if communes:
            data["commune"] = data["commune"].where(data["commune"].isin(communes), HORS)
            data = data.groupby(list(data.columns[:-1]), as_index=False)["n"].sum()
        structures = data[["structure_id", "type"]].drop_duplicates()
        motifs = data[["motif", "categorie"]].drop_duplicates()
        # Every combination the reader cannot rule out, not only those that occur.
        years = data[["annee"]].drop_duplicates()
        cells = years.merge(structures, how="cross").merge(motifs, how="cross")
        cells = cells.merge(pd.DataFrame({"examinee": [True, False]}), how="cross")
        cells = cells.merge(pd.DataFrame({"commune": [*communes, HORS] if communes else [""]}), how="cross")
        cells = cells[~((cells["categorie"] == "retrait") & cells["examinee"])]
        keys = ["annee", "structure_id", "type", "motif", "categorie", "examinee", "commune"]
        cells = cells.merge(data, on=keys, how="left")
        out = cls(cells.assign(n=cells["n"].fillna(0).astype(int)).reset_index(drop=True))
        # The exits of residents of no commune: taken as known (a reader may guess there are none).
        if communes:
            for c in np.flatnonzero(out.cells["commune"] == HORS):
                out.known.append(("hors des communes", np.eye(1, len(out.cells), c, dtype=bool)[0],
                                  int(out.cells.at[c, "n"])))  # fmt: skip
        return out

    def view(self, **base) -> Audit:
        """The same audit, whose counts are those of a view restricted to `base` ({"commune": code})."""
        return Audit(self.cells, self.known, self.hidden, base)

    def select(self, **where) -> np.ndarray:
        """The cells of the finest table a count adds up: where = {column: value or tuple of values}."""
        sel = np.ones(len(self.cells), dtype=bool)
        for col, value in (self.base | where).items():
            values = value if isinstance(value, tuple) else (value,)
            sel &= self.cells[col].isin(values).to_numpy()
        return sel

    def count(self, **where) -> int:
        """The true value of the count over the cells of `where`."""
        return int(self.cells.loc[self.select(**where), "n"].sum())

    def add(self, label: str, printed, **where) -> None:
        """A count as the view prints it (a number, or a masked word) over the cells of `where`."""
        sel = self.select(**where)
        value = int(self.cells.loc[sel, "n"].sum())
        if isinstance(printed, str):
            self.hidden.append((label, sel, value))
        else:
            assert int(printed) == value, (label, printed, value)
            self.known.append((label, sel, value))

    def add_table(
        self, label: str, printed: pd.DataFrame, key: str, columns: dict, rows=None, **where
    ) -> None:
        """A printed table: one line per value of `key` (a column of the finest table), columns = {printed
        column: selection of the finest table (dict)}; rows: the lines within the cells (the others belong to
        other years). A table whose counts all read masked or 0 is left out by the pages (privacy.RETIRE):
        it prints nothing, not even its zeros."""
        values = [v for c in columns for v in printed[c]]
        if any(_is_masked(v) for v in values) and all(_is_masked(v) or v == 0 or pd.isna(v) for v in values):
            return
        for _, line in printed[rows if rows is not None else slice(None)].iterrows():
            for col, sel in columns.items():
                self.add(f"{label} · {line[key]} · {col}", line[col], **{key: line[key]}, **sel, **where)

    def given_back(self) -> list[tuple[str, int]]:
        """The hidden counts that the printed ones give back exactly, with their value."""
        known = list(self.known)
        if not known or not self.hidden:
            return []
        # Counts are never negative: the cells of a count printed 0 are 0, and so are those that a count has
        # beyond another one it contains when both are printed equal (26 exits, 26 examined).
        zero = np.zeros(len(self.cells), dtype=bool)
        for _, sel, value in known:
            if value == 0:
                zero |= sel
        for _, big, vb in known:
            for _, small, vs in known:
                if vb == vs and (small & ~big).sum() == 0 and (big & ~small).any():
                    zero |= big & ~small
        known = known + [
            ("zéro", np.eye(1, len(self.cells), c, dtype=bool)[0], 0) for c in np.flatnonzero(zero)
        ]
        a = np.array([s for _, s, _ in known], dtype=float)
        _, sv, vt = np.linalg.svd(a, full_matrices=False)
        basis = vt[sv > 1e-9 * sv.max()]
        out = []
        for label, sel, value in self.hidden:
            h = sel.astype(float)
            if np.linalg.norm(h - basis.T @ (basis @ h)) < 1e-6:
                out.append((label, value))
        return out


HORS = "hors"  # Audit.of's commune of the residents of no commune audited


# The exit columns of the tables (sorties_groupes' counts) as selections of the finest table.
DYNAMIQUES = ("emploi_durable", "emploi_transition", "sortie_positive")
COLONNES = {
    "sorties": {},
    "sorties_examinees": {"examinee": True},
    "sorties_dynamiques": {"examinee": True, "categorie": DYNAMIQUES},
    "sorties_emploi_durable": {"examinee": True, "categorie": "emploi_durable"},
    "sorties_emploi_transition": {"examinee": True, "categorie": "emploi_transition"},
    "sorties_positives": {"examinee": True, "categorie": "sortie_positive"},
    "autres_sorties": {"examinee": True, "categorie": "autre_sortie"},
    "retraits": {"categorie": "retrait"},
}


def _is_masked(value) -> bool:
    return isinstance(value, str) and value in (
        privacy.MASQUE,
        privacy.MASQUE_SECONDAIRE,
        privacy.TAUX_MASQUE,
    )


def sorties_page(a: Audit, db: Database, f: Filtres, masques: dict) -> None:
    """The exit counts the Sorties page prints in a masked view (pages/sorties.py, ui_sorties.rate_block): key
    figures, by category, type × category, reason, year, type and structure. masques: sorties.masques(db, f),
    which the page reads."""
    from impact.indicators import core, sorties
    from impact.indicators.reference import categories_sortie

    k = core.sorties(db, f)
    big_n = k["sorties_examinees"]
    a.add(
        "tuile · sorties",
        privacy.mask_value(privacy.toutes_sorties(k["sorties"], big_n, True)),
        **COLONNES["sorties"],
    )
    a.add("tuile · sorties examinées", privacy.mask_value(big_n), **COLONNES["sorties_examinees"])
    for c in ("sorties_dynamiques", "sorties_emploi_durable"):  # n of "n / N" beside the rate
        if privacy.ratio_text(k[c], big_n, True):
            a.add(f"tuile · {c}", k[c], **COLONNES[c])

    def masked(df, key, table, counts, **kw):
        return privacy.mask_table(df, counts, forced=sorties.forced_for(df, key, masques[table]), **kw)

    two = {"sorties": {}, "sorties_examinees": {"examinee": True}}
    cat = sorties.par_categorie(db, f)
    a.add_table("par catégorie", masked(cat, "categorie", "categorie", list(two)), "categorie", two)
    cpt = sorties.categorie_par_type(db, f)
    labels = [c for c in cpt.columns if c != "type"]
    code = dict(zip(categories_sortie(db)["libelle"], categories_sortie(db)["categorie"], strict=True))
    a.add_table(
        "type × catégorie",
        masked(cpt, "type", "categorie_type", labels, across_columns=True),
        "type",
        {c: {"categorie": code.get(c, sorties.SANS_CATEGORIE)} for c in labels},
    )
    mot = sorties.par_motif(db, f)
    a.add_table("par motif", masked(mot, "motif", "motif", list(two), across_columns=True), "motif", two)
    rates = {"rates": sorties.TAUX_RATES}
    taux = {c: COLONNES[c] for c in sorties.TAUX_COUNTS}
    par_annee = masked(sorties.taux_par_annee(db, f), "annee", "annee", sorties.TAUX_COUNTS, **rates)
    a.add_table("taux par année", par_annee, "annee", taux, rows=par_annee["annee"].isin(f.years))
    for par, key in (("type", "type"), ("structure", "structure_id")):
        a.add_table(f"taux par {par}", masked(sorties.taux(db, f, par), key, par, sorties.TAUX_COUNTS, **rates),
                    key, taux)  # fmt: skip


def structures_page(a: Audit, db: Database, f: Filtres, masques: dict) -> None:
    """The exit counts of the Structures page (pages/structures.py) in a masked view."""
    from impact.indicators import structures

    m = structures.membres(db, f)
    m = structures.masquer(m[m["sorties"].notna()], masques["structure"])
    a.add_table(
        "Structures", m, "structure_id", {c: COLONNES[c] for c in structures.COMPTES if c in COLONNES}
    )


def bilan_page(a: Audit, db: Database, annee: int) -> None:
    """The exit counts of the Bilan annuel of `annee` (page, PDF, workbook): by structure, and the year's line
    of the exits by category over three years."""
    from impact.indicators import bilan
    from impact.indicators.core import SORTIES_COUNTS

    b = bilan.bilan(db, annee)
    ss = privacy.mask_table(b.sorties_structures, list(SORTIES_COUNTS), across_columns=True,
                            forced=b.sorties_masques)  # fmt: skip
    ss = ss.assign(structure_id=bilan.sorties_structures(db, annee)["structure_id"])
    a.add_table("Bilan · par structure", ss, "structure_id", COLONNES)
    sa = privacy.mask_counts(
        b.sorties_annees, list(SORTIES_COUNTS), across_columns=True, forced=b.annees_masques
    )
    a.add_table("Bilan · années", sa, "annee", COLONNES, rows=sa["annee"] == annee)


def fiche_commune_page(a: Audit, db: Database, code: str, annee: int) -> None:
    """The exits by category of the Fiche commune (page and PDF) in a masked view: the examined exits of each
    category, the withdrawals, and the exits below the minimum presence."""
    from impact.indicators import commune

    fiche = commune.fiche(db, code, annee)
    shown = privacy.mask_counts(fiche.sorties, ["sorties"], forced=fiche.sorties_masques)
    if all(_is_masked(v) or v == 0 for v in shown["sorties"]):  # left out (privacy.RETIRE): nothing printed
        return
    categories = tuple(c for c in a.cells["categorie"].unique() if c != "retrait")
    for cat, printed in zip(shown["categorie"], shown["sorties"], strict=True):
        if cat == "retrait":
            where = {"categorie": "retrait"}
        elif cat == "non_examinee":
            where = {"examinee": False, "categorie": categories}
        else:
            where = {"examinee": True, "categorie": cat}
        a.add(f"Fiche commune · {cat}", printed, **where)
