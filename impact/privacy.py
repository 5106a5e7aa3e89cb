"""Masquage des petits effectifs : la seule règle, appliquée par chaque page, phrase, graphique et document.

In a masked view (presentation mode, the read-only role, every document), a count of people from 1 to
SEUIL − 1 reads MASQUE ("< 5"). When a line or column of a table would then hold a single masked cell, the
next smallest cell is masked too (with every cell equal to it: the choice never depends on the order of the
lines), so that nobody recomputes the hidden value from the total (secondary suppression); such a cell reads
MASQUE_SECONDAIRE ("masqué"), never "< 5", which would be false. The same holds for the sums printed beside a
table (SOMMES, the exit categories, the types of a table of structures), for the difference of two counts
printed side by side (DIFFERENCES: all exits and those examined), and for two tables printed together
(linked_masks: every table of exits of a filter set, the key figures with them, checked by an audit that no
masked count is a combination of printed ones). A rate,
or a pair n/N, is printed only when n, N − n and N are all outside 1 to SEUIL − 1; a hidden rate reads
TAUX_MASQUE. Zero is never masked: "nobody" designates nobody. Rates under MIN_SORTIES_TAUX examined
exits are not computed at all (impact.indicators.core.Taux).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impact import fmt
from impact.contract import DYNAMIC_CATEGORIES

SEUIL = 5
MASQUE = f"< {SEUIL}"
MASQUE_SECONDAIRE = "masqué"
# MASQUE in a sentence: "<" and its number never on two lines.
MASQUE_TEXTE = MASQUE.replace(" ", "\u00a0")
TAUX_MASQUE = "masqué (petit effectif)"
# The column of a chart's data that says how a masked mark reads (see chart_data), e.g. "personnes__masque".
MARQUE = "__masque"

REGLE = (
    f"Petits effectifs : tout nombre de personnes inférieur à {SEUIL} (zéro excepté) est remplacé par "
    f"« {MASQUE_TEXTE} » ; quand un "
    f"total, ou une somme écrite ailleurs (sorties dynamiques, total d'un type de structure), "
    f"permettrait de le recalculer, une seconde case est masquée et se lit « {MASQUE_SECONDAIRE} » ; un "
    f"taux ou un rapport n/N qui redonnerait un tel nombre se lit « {TAUX_MASQUE} ». Les tableaux de sorties "
    "d'une même sélection (page Sorties, page Structures, fiche commune, bilan annuel) et les chiffres clés "
    "sont vérifiés ensemble : aucun nombre masqué ne s'y recalcule par sommes et différences des nombres "
    f"imprimés. Dans ces tableaux, toute case masquée se lit « {MASQUE_SECONDAIRE} », petits effectifs compris, "
    "ainsi que les zéros sur la ligne ou la colonne d'une case masquée : deux mots différents, ou des zéros "
    "imprimés, borneraient assez les petits nombres pour les retrouver avec les totaux. Un tableau de sorties "
    "dont tous les nombres non nuls seraient masqués, ou dont la plupart sont petits, n'est pas affiché. "
    "Ailleurs, zéro n'est pas masqué : il ne désigne personne."
)


# The read-only role filters its masked views itself: one selection at a time (impact.sidebar).
UNE_SELECTION = (
    "En lecture seule, une année et une commune : deux sélections l'une dans l'autre, soustraites, "
    "redonneraient les petits effectifs que le masquage cache (les communes A et B moins la commune A donnent "
    "la commune B ; toutes les années moins les autres, une année ; le collectif moins toutes les structures "
    "sauf une, cette structure). Le détail par structure est sur la page Structures et la fiche structure."
)


def une_selection(affiche: str) -> str:
    """The short message (a toast) when an address asks the read-only role for more than it allows."""
    return f"Lecture seule, une année et une commune : affichage de {affiche}."


# The rule in one short sentence, for documents read outside the team (mémoire, partner page, fiches).
REGLE_COURTE = (
    f"Tout nombre de personnes inférieur à {SEUIL} (zéro excepté) est écrit « {MASQUE_TEXTE} » ; dans les "
    f"tableaux de sorties, toute case masquée se lit « {MASQUE_SECONDAIRE} »."
)


def is_small(n) -> bool:
    return n is not None and not isinstance(n, str) and not pd.isna(n) and 0 < n < SEUIL


def mask_value(n):
    """A single figure shown alone (no total beside it): MASQUE when small."""
    return MASQUE if is_small(n) else n


def count_text(n, masked: bool, formatter=fmt.integer) -> str:
    """A count of people as a view prints it: "< 5" when masked and small, else the formatted number."""
    if isinstance(n, str):  # already masked
        return n
    return MASQUE if masked and is_small(n) else formatter(n)


def reveals(n, big_n) -> bool:
    """Printing n with N (a rate, "n / N") gives back n, N − n and N: true when any of them is small."""
    if n is None or big_n is None or pd.isna(n) or pd.isna(big_n):
        return False
    return is_small(n) or is_small(big_n) or is_small(big_n - n)


rate_reveals_small_count = reveals


def part_value(n, whole, masked: bool):
    """A count printed beside the count it is part of (n people among `whole`): MASQUE when small,
    MASQUE_SECONDAIRE when whole − n would give a small count back, else n itself."""
    if not masked:
        return n
    if is_small(n):
        return MASQUE
    # whole − n is readable only when whole itself is (a masked whole hides it; n = 0 says nothing new)
    return MASQUE_SECONDAIRE if not is_small(whole) and is_small(whole - n) else n


def beside(k: dict, key: str, masked: bool):
    """A count of a dict of key figures (kpis, a year of a table) as a masked view prints it beside the one
    DIFFERENCES pairs it with: MASQUE_SECONDAIRE when their difference, a count printed nowhere, is small; the
    count itself otherwise (count_text masks it when small). A key figure k[CACHES] names is hidden as well
    (impact.view.with_partners: one commune alone hid it)."""
    n = k[key]
    if masked and key in k.get(CACHES, ()):
        return MASQUE_SECONDAIRE
    for first, other in DIFFERENCES:
        if (
            key == first
            and masked
            and not is_small(n)
            and k.get(other) is not None
            and is_small(abs(n - k[other]))
        ):
            return MASQUE_SECONDAIRE
    return n


def toutes_sorties(n, examinees, masked: bool):
    """All exits as a masked view prints them beside the examined ones (see beside)."""
    return beside({"sorties": n, "sorties_examinees": examinees}, "sorties", masked)


def part_text(n, whole, masked: bool) -> str:
    """part_value as text (French number)."""
    v = part_value(n, whole, masked)
    return v if isinstance(v, str) else fmt.integer(v)


def ratio_text(n, big_n, masked: bool) -> str | None:
    """ "n / N" (French numbers), or None when a masked view must not print it."""
    if masked and reveals(n, big_n):
        return None
    return f"{fmt.integer(n)} / {fmt.integer(big_n)}"


def ratio_or_masked(n, big_n, masked: bool) -> str:
    """ "n / N", or TAUX_MASQUE where a masked view must not print it (documents writing n/N in a sentence)."""
    return ratio_text(n, big_n, masked) or TAUX_MASQUE


def rate_text(value, n, big_n, masked: bool, *, missing: str = "non calculé") -> str:
    """A rate: "62,5 %", `missing` when not computed (too few exits), TAUX_MASQUE when it would give back a
    small count in a masked view."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return missing
    if masked and reveals(n, big_n):
        return TAUX_MASQUE
    return fmt.percent(value)


# Counts the dashboard prints that are sums of other counts it prints beside them (kpis, texts, tables): within a
# line of a table, a total and its parts (columns); within a table of exit categories (one line per category,
# a column "categorie"), the groups of lines whose sum is printed elsewhere (sorties dynamiques, examinées). A
# part masked alone in such a sum would be given back by the sum: masks() masks a second cell there.
SOMMES = (
    ("sorties_dynamiques", ("sorties_emploi_durable", "sorties_emploi_transition", "sorties_positives")),
    ("sorties_examinees", ("sorties_dynamiques", "autres_sorties")),
)
GROUPES_CATEGORIES = (DYNAMIC_CATEGORIES, (*DYNAMIC_CATEGORIES, "autre_sortie"))
# Two counts printed side by side (a line of a table, key figures, a sentence) whose difference is a count of
# people printed nowhere: all the exits and those examined (the rest: withdrawals, and exits before the minimum
# presence); the people in an IAE path and all the people employed (the rest: those of EA, ESAT, GEIQ… — in
# Orée d'Anjou in 2019, 22 residents employed "dont 19 en parcours" said that 3 worked in the handicap sector).
# When that difference is small, the first one is masked (the rates, the charts and the headline figures of a
# masked view read the other one).
DIFFERENCES = (("sorties", "sorties_examinees"), ("salaries_en_parcours", "personnes_employees"))
# The key of a dict of key figures naming those a masked view hides besides their own rule (beside).
CACHES = "_caches"
# The attrs key of the cells of a table that the key figures printed beside it give back (Connus), in the frames
# of linked_masks: masks never hides them to protect another count (they would protect nothing).
CONNUS = "connus"


class Connus:
    """The known cells of a frame of linked_masks (a boolean frame on its index and columns), kept in its attrs
    through the copies pandas makes of them (deepcopy: itself) and compared by identity (pandas compares the
    attrs of frames it joins: a frame there would be ambiguous). relabel: on the frame's new index, the same
    lines in the same order (its set_axis)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def __deepcopy__(self, memo):
        return self

    def relabel(self, index) -> Connus:
        return Connus(self.frame.set_axis(index))

    def of(self, index, columns) -> np.ndarray:
        return self.frame.reindex(index=index, columns=columns).fillna(False).to_numpy(dtype=bool)


def relabel(forced: pd.DataFrame, index) -> pd.DataFrame:
    """forced.set_axis(index), its known cells (Connus) following its lines."""
    out = forced.set_axis(index)
    if isinstance(connus := forced.attrs.get(CONNUS), Connus):
        out.attrs[CONNUS] = connus.relabel(out.index)
    return out


def _mask_one_more(
    values: np.ndarray, masked: np.ndarray, known: np.ndarray | None = None
) -> np.ndarray | None:
    """The positions of the cells to mask next among `values`: the smallest positive one not masked, and every
    one equal to it (the choice never depends on the order of the lines: two tables listing the same cells
    in another order mask the same ones); None if there is none. known: cells a key figure prints anyway,
    never chosen (hidden, they would protect nothing and read "masqué" beside the figure)."""
    candidates = ~masked & (np.nan_to_num(values) > 0)
    if known is not None:
        candidates &= ~known
    if not candidates.any():
        return None
    return np.flatnonzero(candidates & (values == values[candidates].min()))


# The cells are worked on as numpy arrays (lines × count columns): a masked view runs these loops for every
# table it prints, on every run of its page.


def _exposed(block: np.ndarray, masked: np.ndarray) -> np.ndarray:
    """The lines (of 2-D arrays: each line a group of cells whose sum is printed) whose hidden cells the sum
    pins down: exactly one masked cell, or only "< 5" cells (each 1 to 4: a sum of 2 over two of them says
    1 and 1). One more cell, of 5 or more, is masked there."""
    k = masked.sum(axis=1)
    small = (block > 0) & (block < SEUIL)
    return (k == 1) | ((k >= 2) & ~(masked & ~small).any(axis=1))


def _sums(block: np.ndarray, masked: np.ndarray, cols: list, known: np.ndarray | None = None) -> bool:
    """A second masked cell in every line where a sum of SOMMES (its total and parts all in the table) holds
    hidden cells it would pin down (_exposed)."""
    changed = False
    for total, parts in SOMMES:
        if total not in cols or not all(p in cols for p in parts):
            continue
        cells = np.array([cols.index(c) for c in (total, *parts)])
        for i in np.flatnonzero(_exposed(block[:, cells], masked[:, cells])):
            target = _mask_one_more(block[i, cells[1:]], masked[i, cells[1:]], _at(known, i, cells[1:]))
            target = cells[1:][target] if target is not None else None
            if target is None:
                target = _mask_one_more(block[i, cells], masked[i, cells], _at(known, i, cells))
                target = cells[target] if target is not None else None
            if target is not None:
                masked[i, target] = changed = True
    return changed


def _differences(block: np.ndarray, masked: np.ndarray, cols: list) -> bool:
    """The first count of every pair of DIFFERENCES masked in the lines where both are in the table (a page
    printing one of them passes both: the other is printed elsewhere) and their difference is small."""
    changed = False
    for total, part in DIFFERENCES:
        if total not in cols or part not in cols:
            continue
        t, p = cols.index(total), cols.index(part)
        gap = np.abs(block[:, t] - block[:, p])
        hide = (gap > 0) & (gap < SEUIL) & ~masked[:, t] & ~masked[:, p] & (np.nan_to_num(block[:, t]) > 0)
        if hide.any():
            masked[hide, t] = changed = True
    return changed


def _groups(
    block: np.ndarray, masked: np.ndarray, groups: list, columns: list[int], known: np.ndarray | None = None
) -> bool:
    """A second masked cell in every column (of `columns`, positions) where a group of lines (positions) whose
    sum is printed holds hidden cells it would pin down (_exposed)."""
    changed = False
    for rows in groups:
        for j in columns:
            m = masked[rows, j]
            if not _exposed(block[rows, j][None, :], m[None, :])[0]:
                continue
            target = _mask_one_more(block[rows, j], m, _at(known, rows, j))
            if target is not None:
                masked[rows[target], j] = changed = True
    return changed


def _at(known: np.ndarray | None, rows, cols) -> np.ndarray | None:
    return None if known is None else known[rows, cols]


# Counts that add up from structures to their type (exits; not people, who may work in two structures).
PAR_TYPE = ("sorties", "sorties_examinees", "sorties_dynamiques", "sorties_emploi_durable",
            "sorties_emploi_transition", "sorties_positives", "autres_sorties", "retraits")  # fmt: skip


def _type_groups(df: pd.DataFrame) -> list:
    """In a table of structures with their type, the positions of the lines of each type: the dashboard prints
    the types' sums of the PAR_TYPE counts."""
    if "type" not in df.columns or not {"structure_id", "structure_nom", "structure"} & set(df.columns):
        return []
    return [rows for rows in df.groupby("type", sort=False).indices.values() if len(rows) > 1]


def _category_groups(df: pd.DataFrame) -> list:
    """The positions of the groups of lines of GROUPES_CATEGORIES in a table of exit categories (column
    "categorie")."""
    if "categorie" not in df.columns:
        return []
    cats = df["categorie"].astype(str).to_numpy()
    return [np.flatnonzero(np.isin(cats, g)) for g in GROUPES_CATEGORIES if np.isin(cats, g).sum() > 1]


def _secondary(block: np.ndarray, masked: np.ndarray, axis: int, known: np.ndarray | None = None) -> bool:
    """Mask one more cell in every line (axis=1) or column (axis=0) whose hidden cells its total would pin down
    (_exposed)."""
    changed = False
    if axis == 0:
        block, masked = block.T, masked.T  # views: the columns as lines
        known = None if known is None else known.T
    for i in np.flatnonzero(_exposed(block, masked)):
        target = _mask_one_more(block[i], masked[i], None if known is None else known[i])
        if target is not None:
            masked[i, target] = changed = True
    return changed


def masks(
    df: pd.DataFrame, count_columns, *, across_columns: bool = False, forced: pd.DataFrame | None = None
) -> pd.DataFrame:
    """For each cell of count_columns: None (shown), MASQUE (small count) or MASQUE_SECONDAIRE (masked only
    so that a total cannot give a small count back).

    Columns are always protected against recomputation from their total; with across_columns=True (count
    columns that add up to a line total, e.g. exits by category), lines are protected too; and so are the sums
    the dashboard prints elsewhere (SOMMES within a line, GROUPES_CATEGORIES across the lines of exit
    categories, the types of a table of structures). forced: cells (True, same index, some of count_columns)
    masked from the start, because another table printed beside this one masks them (linked_masks). The
    columns forced names read one word, MASQUE_SECONDAIRE, small counts included, as "s" does in official
    statistics: two words would tell which hidden counts are 1 to 4 and which 5 or more, and with the totals
    printed beside them these bounds pin small counts down (29 lasting jobs = 16 printed + two "< 5" + two
    "masqué" of 5 or more: the two "< 5" add up to 3 at most, hence 1 and 1, 1 and 2 or 2 and 1). For the
    same reason a zero on a line (across_columns) or column holding a hidden count reads that word too:
    with the zeros printed, "masqué" meant "1 or more", and a derived total of 1 over one hidden cell gave it.
    """
    cols = [c for c in count_columns if c in df.columns]
    if not cols or df.empty:
        return pd.DataFrame(None, index=df.index, columns=cols, dtype=object)
    cells = _Comptes.of(df, cols, across_columns)
    extra = linked = known = None
    if forced is not None:
        extra = (
            forced.reindex(index=df.index, columns=cols).astype("boolean").fillna(False).to_numpy(dtype=bool)
        )
        linked = np.isin(cols, list(forced.columns))
        if isinstance(connus := forced.attrs.get(CONNUS), Connus):
            known = connus.of(df.index, cols)
    return pd.DataFrame(cells.words(extra, linked, known), index=df.index, columns=cols, dtype=object)


@dataclass(frozen=True)
class _Comptes:
    """A table's counts as masks reads them (lines × count columns, and the groups of lines whose sums the
    dashboard prints), read once: linked_masks masks the same table again at each of its turns."""

    block: np.ndarray
    cols: list
    across_columns: bool
    categories: list
    types: list

    @classmethod
    def of(cls, df: pd.DataFrame, cols: list, across_columns: bool) -> _Comptes:
        block = df[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        return cls(block, cols, across_columns, _category_groups(df), _type_groups(df))

    def words(
        self,
        extra: np.ndarray | None = None,
        linked: np.ndarray | None = None,
        known: np.ndarray | None = None,
    ) -> np.ndarray:
        """masks' words (lines × columns): extra, the cells masked from the start (forced); linked, the columns
        forced names; known, the cells a key figure prints anyway (never masked to protect another)."""
        block, cols, across_columns = self.block, self.cols, self.across_columns
        small = (block > 0) & (block < SEUIL)  # is_small, cell by cell (NaN is not small)
        masked = small.copy()
        if extra is not None:
            masked |= extra & (np.nan_to_num(block) > 0)  # zero is never masked
        every = list(range(len(cols)))
        by_type = [j for j, c in enumerate(cols) if c in PAR_TYPE]
        for _ in range(10):  # each pass can create new single masked cells; a few passes settle it
            changed = _secondary(block, masked, axis=0, known=known)
            if across_columns:
                changed = _secondary(block, masked, axis=1, known=known) or changed
            changed = _sums(block, masked, cols, known) or changed
            changed = _differences(block, masked, cols) or changed
            changed = _groups(block, masked, self.categories, every, known) or changed
            changed = _groups(block, masked, self.types, by_type, known) or changed
            if not changed:
                break
        words = np.where(small, MASQUE, np.where(masked, MASQUE_SECONDAIRE, None))
        # Counts masked with other tables: one word for all of them, and for the zeros on a line or column
        # holding a hidden count (see masks).
        if linked is not None:
            hide = masked[:, linked]
            # A missing count (NaN: no exits to count, a structure outside the IAE) is no zero: it stays "—".
            zero = block[:, linked] == 0
            hide = hide | (
                zero & (hide.any(axis=0)[None, :] | (hide.any(axis=1)[:, None] if across_columns else False))
            )
            words[:, linked] = np.where(hide, MASQUE_SECONDAIRE, None)
        return words


def _masked_copy(df: pd.DataFrame, m: pd.DataFrame) -> pd.DataFrame:
    """df where the cells of masks' `m` that are masked read their word."""
    out = df.copy()
    for c in m.columns:
        out[c] = out[c].astype(object).where(m[c].isna(), m[c])
    return out


# A table whose every non-zero count a masked view hides is not shown at all: it would tell only which of its
# lines are not empty, and with the totals printed beside it (key figures, rates) that can be enough: six
# structures each with a hidden count of dynamic exits, out of 6, had 1 each. Its place says why (RETIRE).
_POURQUOI = (
    "trop peu de personnes dans cette sélection pour {} montrer sans laisser retrouver de petits effectifs "
    f"(règle des moins de {SEUIL}, page Méthodologie)."
)
RETIRE = "Détail non affiché : " + _POURQUOI.format("le")


def retires_texte(quoi: str) -> str:
    """The sentence that stands for blocks left out (RETIRE), `quoi` naming them ("les sorties par motif", or
    a block's title, its first letter lowered)."""
    pourquoi = _POURQUOI.format("les")
    return f"Détails non affichés : {quoi[:1].lower()}{quoi[1:]}. {pourquoi[0].upper()}{pourquoi[1:]}"


def retire(
    df: pd.DataFrame, count_columns, *, across_columns: bool = False, forced: pd.DataFrame | None = None
) -> bool:
    """Whether a masked view withdraws the table (RETIRE): it has a non-zero count in count_columns and
    masks (same arguments) hides every one of them."""
    cols = [c for c in count_columns if c in df.columns]
    if not cols or df.empty:
        return False
    hidden = masks(df, cols, across_columns=across_columns, forced=forced).notna().to_numpy()
    return _hides_every_count(df[cols], hidden)


def _hides_every_count(counts: pd.DataFrame, hidden: np.ndarray) -> bool:
    """Whether a table of counts has a non-zero one and `hidden` (same shape) hides every one of them."""
    positive = np.nan_to_num(counts.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)) > 0
    return bool(positive.any() and hidden[positive].all())


def mask_counts(
    df: pd.DataFrame, count_columns, *, across_columns: bool = False, forced: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A copy where the masked cells of count_columns read MASQUE or MASQUE_SECONDAIRE (see masks)."""
    return _masked_copy(df, masks(df, count_columns, across_columns=across_columns, forced=forced))


def mask_each(df: pd.DataFrame, columns, linked: dict[str, str] | None = None) -> pd.DataFrame:
    """Masks each small count on its own, for tables with no total to recompute it from (years, publics
    that overlap); `linked` maps a derived column (a share) to the count it would reveal: it then reads
    TAUX_MASQUE. The first count of a pair of DIFFERENCES reads MASQUE_SECONDAIRE where its difference with
    the other, both in df, is small (see beside)."""
    out = df.copy()
    for c in columns:
        small = df[c].map(is_small)
        out[c] = out[c].astype(object).where(~small, MASQUE)
        pair = next((other for first, other in DIFFERENCES if first == c and other in df.columns), None)
        if pair is not None:
            rows = df[[c, pair]].to_dict("records")
            shown = pd.Series([beside(r, c, True) for r in rows], index=df.index)
            out[c] = out[c].where(~shown.eq(MASQUE_SECONDAIRE) | small, MASQUE_SECONDAIRE)
        for derived, source in (linked or {}).items():
            if source == c:
                out[derived] = out[derived].astype(object).where(~small, TAUX_MASQUE)
    return out


def mask_rates(df: pd.DataFrame, rates: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Rates {rate_column: (n_column, N_column)} replaced by TAUX_MASQUE where they would reveal a small
    count (n, N − n or N from 1 to 4)."""
    out = df.copy()
    for rate, (n, big_n) in rates.items():
        hide = [
            reveals(a, b) and not (r is None or pd.isna(r))
            for a, b, r in zip(df[n], df[big_n], df[rate], strict=True)
        ]
        out[rate] = out[rate].astype(object).where(~pd.Series(hide, index=df.index, dtype=bool), TAUX_MASQUE)
    return out


def mask_table(
    df: pd.DataFrame,
    count_columns=(),
    *,
    across_columns: bool = False,
    rates: dict[str, tuple[str, str]] | None = None,
    forced: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """A table as a masked view prints it: counts of people masked (with the secondary suppression), and
    rates {rate_column: (n_column, N_column)} hidden where they would give a small count back, or where their
    n or N is masked (the rate and the other one would give it back). forced: see masks."""
    out = mask_rates(df, rates) if rates else df
    m = masks(df, count_columns, across_columns=across_columns, forced=forced)
    out = _masked_copy(out, m)
    for rate, (n, big_n) in (rates or {}).items():
        hidden = pd.Series(False, index=df.index)
        for c in (n, big_n):
            if c in m:
                hidden |= m[c].notna()
        hidden &= df[rate].notna()
        out[rate] = out[rate].astype(object).where(~hidden, TAUX_MASQUE)
    return out


def chart_data(
    df: pd.DataFrame, count_columns, *, across_columns: bool = False, forced: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The data a chart of people counts draws in a masked view: masked cells become empty (NaN), so that
    no mark, axis or hover encodes them, and a column `<col>__masque` (MARQUE) says how each reads at its
    place ("< 5" or "masqué"); impact.charts writes that word where the mark would be."""
    out = df.copy()
    m = masks(df, count_columns, across_columns=across_columns, forced=forced)
    for c in m.columns:
        out[c] = pd.to_numeric(out[c], errors="coerce").where(m[c].isna())
        out[c + MARQUE] = m[c]
    return out


def mask_shares(
    df: pd.DataFrame, n_columns: dict[str, str], shares: dict[str, str] | None = None
) -> pd.DataFrame:
    """Subsets of a total, each printed with the total (publics of the people employed): n_columns maps a
    count column to the column holding its total N. A small n reads MASQUE; an n whose N − n is small reads
    MASQUE_SECONDAIRE (n and N would give it back); a small N reads MASQUE. shares maps a share column to
    its count column: hidden (TAUX_MASQUE) whenever that count is."""
    out = df.copy()
    for n, big_n in n_columns.items():
        word = [
            MASQUE if is_small(a) else (MASQUE_SECONDAIRE if reveals(a, b) else None)
            for a, b in zip(df[n], df[big_n], strict=True)
        ]
        hidden = pd.Series([w is not None for w in word], index=df.index, dtype=bool)
        out[n] = out[n].astype(object).where(~hidden, pd.Series(word, index=df.index))
        for share, source in (shares or {}).items():
            if source == n:
                out[share] = out[share].astype(object).where(~hidden, TAUX_MASQUE)
    for big_n in set(n_columns.values()):
        if big_n not in n_columns:
            out[big_n] = out[big_n].astype(object).where(~df[big_n].map(is_small), MASQUE)
    return out


# How the counts masked with the other tables of exits read (masks with forced), for the captions.
SORTIES_LIEES = (
    f"les sorties, masquées avec les autres tableaux de sorties de la sélection, se lisent « {MASQUE_SECONDAIRE} » "
    "quel que soit le nombre caché, petit effectif ou non"
)


def chart_note(masked: bool, mark: str = "barre", linked: bool = False) -> str:
    """The sentence under a chart of people counts in a masked view (nothing otherwise); mark: what the chart
    draws a value with ("barre", "point" for a line chart); linked: counts of exits masked with the other
    tables of their selection (one word, see masks)."""
    if not masked:
        return ""
    if linked:
        return (
            f" Effectifs de moins de {SEUIL} personnes masqués, et les cases qui permettraient de les "
            f"recalculer : pas de {mark}, « {MASQUE_SECONDAIRE} » écrit à sa place, quel que soit le nombre caché."
        )
    return (
        f" Effectifs de moins de {SEUIL} personnes masqués : pas de {mark}, « {MASQUE_TEXTE} » écrit à sa place "
        f"(« {MASQUE_SECONDAIRE} » pour une case masquée afin qu'un total ne la redonne pas)."
    )


def melt(df: pd.DataFrame, id_vars, value_vars, var_name: str, value_name: str) -> pd.DataFrame:
    """pandas.melt of chart data that keeps, for each value, how it reads when masked (see chart_data)."""
    long = df.melt(id_vars=id_vars, value_vars=list(value_vars), var_name=var_name, value_name=value_name)
    marks = [c + MARQUE for c in value_vars]
    if all(m in df for m in marks):
        long[value_name + MARQUE] = df.melt(id_vars=id_vars, value_vars=marks)["value"].to_numpy()
    return long


# The read-only role opens one commune at a time, but it can open them all in turn, and the whole territory: the
# territory's count minus those of five communes is the sixth's, when every person counted lives in one of the
# six. A count that one commune alone hides is hidden in a second commune too (communes_masks).


def communes_masks(
    territory: pd.DataFrame | None,
    communes: dict[str, pd.DataFrame],
    count_columns,
    keys: list[str],
    *,
    across_columns: bool = False,
    own=None,
) -> tuple[pd.DataFrame | None, dict[str, pd.DataFrame | None]]:
    """The cells to hide beyond each table's own rules (masks) so that no count hidden by one commune alone is
    the territory's minus the others': communes holds the territory's table for each commune (the same
    columns; `keys` name a line, a line missing from a commune's table being a 0 it prints). Such a count is
    hidden in a second commune, the one with the smallest non-zero count printed there (its own rules then
    run again, which may hide more, checked in turn); in the territory only when no other commune has one
    (the territory's figures are the ones a meeting reads). A commune's hidden 0 designates nobody. Returns
    (the territory's cells, {commune: its cells}), boolean frames on each table's index and the count columns
    with a cell to hide, None where there is none (masks then reads its own rules alone, with their words).
    territory None: no table of the territory (a Fiche commune's), taken as printing every line. own(table,
    forced): the cells a table hides by its own rules (boolean frame), when they are not those of masks."""
    tables = [t for t in (territory, *communes.values()) if t is not None and not t.empty]
    cols = [c for c in count_columns if tables and c in tables[0].columns]
    none = (None, dict.fromkeys(communes))
    if not cols or not tables or not keys or not communes or (territory is not None and territory.empty):
        return none
    lines = pd.MultiIndex.from_frame(
        (territory if territory is not None else pd.concat([t[keys] for t in tables]))[keys]
        .astype(str)
        .drop_duplicates()
    )
    codes = list(communes)
    where, values = {}, np.zeros((len(codes), len(lines), len(cols)))
    for k, code in enumerate(codes):
        table = communes[code]
        pos = lines.get_indexer(pd.MultiIndex.from_frame(table[keys].astype(str))) if len(table) else []
        where[code] = np.asarray(pos, dtype=int)
        on = where[code] >= 0
        values[k, where[code][on]] = (
            table[cols].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy()[on]
        )
    forced = np.zeros(values.shape, dtype=bool)
    in_territory = np.zeros((len(lines), len(cols)), dtype=bool)

    def extra(k: int) -> pd.DataFrame:
        table = communes[codes[k]]
        on = where[codes[k]] >= 0
        cells = np.zeros((len(table), len(cols)), dtype=bool)
        cells[on] = forced[k, where[codes[k]][on]]
        return pd.DataFrame(cells, index=table.index, columns=cols)

    for _ in range(forced.size + 1):  # each turn hides one more cell somewhere at least, or stops
        hidden = np.zeros(values.shape, dtype=bool)
        for k, code in enumerate(codes):
            table = communes[code]
            if table.empty:
                continue
            cells = extra(k) if forced[k].any() else None
            if own is None:
                rules = masks(table, cols, across_columns=across_columns, forced=cells).notna()
            else:
                rules = own(table, cells)[cols]
            on = where[code] >= 0
            hidden[k, where[code][on]] = rules.to_numpy(dtype=bool)[on]
        hidden &= values > 0
        alone = (hidden.sum(axis=0) == 1) & ~in_territory
        if not alone.any():
            break
        for i, j in np.argwhere(alone):  # all at once: a table of 900 structures has hundreds of them
            printed = (values[:, i, j] > 0) & ~hidden[:, i, j]
            if printed.any():
                k = min(np.flatnonzero(printed), key=lambda k: (values[k, i, j], codes[k]))
                forced[k, i, j] = True
            else:
                in_territory[i, j] = True

    def frame(cells: np.ndarray, index) -> pd.DataFrame | None:
        out = pd.DataFrame(cells, index=index, columns=cols)
        out = out.loc[:, out.any()]
        return out if out.size else None

    return frame(in_territory, territory.index) if territory is not None else None, {
        code: frame(extra(k).to_numpy(), communes[code].index) for k, code in enumerate(codes)
    }


def hide(df: pd.DataFrame, forced: pd.DataFrame | None, *shares: dict[str, str]) -> pd.DataFrame:
    """df as printed, its cells `forced` names (True) hidden besides their own rule: MASQUE_SECONDAIRE, a share
    ({share column: count column}, its numerator or its denominator) of a hidden count TAUX_MASQUE. A cell
    already a word stays as it is."""
    if forced is None:
        return df
    out = df.copy()
    for c in forced.columns:
        more = forced[c].reindex(out.index, fill_value=False).astype(bool)
        more &= ~out[c].map(_is_word)
        out[c] = out[c].astype(object).where(~more, MASQUE_SECONDAIRE)
        for share, source in (pair for s in shares for pair in s.items()):
            if source == c:
                out[share] = out[share].astype(object).where(~more | out[share].map(_is_word), TAUX_MASQUE)
    return out


def _is_word(v) -> bool:
    return isinstance(v, str)


def figure_partners(communes: dict[str, tuple[float, bool]], territory_hidden: bool) -> set[str | None]:
    """The views that hide a key figure beyond its own rule, so that the territory's minus five communes' does
    not give back the sixth's ({commune: (value, hidden by its own rule)}): when one commune alone hides a
    non-zero figure, the commune with the smallest non-zero figure printed (communes_masks' choice), or the
    territory (None) when no other commune has one. Nothing when the territory hides its own."""
    alone = [c for c, (v, hidden) in communes.items() if hidden and v > 0]
    if territory_hidden or len(alone) != 1:
        return set()
    printed = [(v, c) for c, (v, hidden) in communes.items() if not hidden and v > 0]
    return {min(printed)[1]} if printed else {None}


def union_hides(parts: dict[str, float], inside) -> bool:
    """Whether a count printed for a union of parts (several communes, several structures: a mémoire's territory
    or its operating structures) gives back a count the part's own published view hides (its sheet: a count of
    1 to 4, or the one figure_partners hides beside it). {part: its count}; inside: the parts of the union. A
    part inside that hides its count gives it back as the union minus the other parts inside, printed on their
    sheets; a single part outside that hides its count, as the whole minus the union minus the others outside.
    Two or more hidden parts on each side give back only a sum of hidden counts, as the territory does."""
    parts = {p: 0 if v is None or pd.isna(v) else v for p, v in parts.items()}
    inside = set(inside) & set(parts)
    if not inside or inside == set(parts):
        return False  # the whole: its own figures, printed as they are
    small = {p for p, v in parts.items() if is_small(v)}
    hidden = small | (figure_partners({p: (v, p in small) for p, v in parts.items()}, False) - {None})
    return bool(hidden & inside) or len(hidden - inside) == 1


def mask_total_and_subsets(df: pd.DataFrame, columns, shares: dict[str, str] | None = None) -> pd.DataFrame:
    """A table whose first row is a total (people employed) and whose other rows are overlapping subsets of
    it (publics), one column per year: mask_shares applied column by column against the first row."""
    if df.empty:
        return df.copy()
    totals = df.iloc[0]
    work = df.copy()
    pairs = {}
    for c in columns:
        work[c + "__total"] = totals[c]
        pairs[c] = c + "__total"
    out = mask_shares(work, pairs, shares)
    first = out.index[0]
    for c in columns:
        out.at[first, c] = MASQUE if is_small(totals[c]) else totals[c]
    return out.drop(columns=list(pairs.values()))


# --- Tables printed together: secondary suppression checked by an audit -------------------------------------
# The rules above protect each table against its own totals and the sums the dashboard is known to print. A set
# of tables about the same exits (by category, reason, type, structure, year; the key figures) holds more
# relations than those: a reason's category printed elsewhere, a type's exits by category in one table and by
# rate in another... linked_masks checks them all at once. Every count printed is a sum of cells of the finest
# table (the `cells`, e.g. exits by structure × reason × examined × year): a line of a linear system. A hidden
# count is given back exactly when its line is a combination of the printed ones (it lies in their row space).
# While one is, a printed count of that combination is hidden too (the smallest: the classic choice of the
# secondary suppression), and every table's own rules run again. What the reader knows besides is public and
# belongs in `cells`: a reason's category, a structure's type.


@dataclass
class Tableau:
    """A table printed in a masked view: its lines (df), the column of the cells naming a line (dim: the value
    of df[key] selects the cells whose `dim` equals it), and each count column as a selection of the cells
    ({cells column: value or tuple of values}). across_columns: the table's own rule (masks)."""

    name: str
    df: pd.DataFrame
    key: str
    columns: dict[str, dict]
    across_columns: bool = False
    dim: str | None = None


@dataclass
class Fixe:
    """A count printed alone by its own rule (a key figure): read by the audit, never chosen to hide."""

    selection: dict
    shown: bool


def _select(cells: pd.DataFrame, where: dict) -> np.ndarray:
    sel = np.ones(len(cells), dtype=bool)
    for col, value in where.items():
        sel &= cells[col].isin(value if isinstance(value, tuple) else (value,)).to_numpy()
    return sel


def _pinv(gram: np.ndarray) -> np.ndarray:
    """The pseudo-inverse of a Gram matrix, its eigenvalues below 1e-9 (relative, at least absolute) taken as
    0: when every line across blocks lies in the blocks' span, the Gram matrix is made of rounding errors
    (1e-30) that a relative cutoff alone would invert."""
    w, v = np.linalg.eigh(gram)
    keep = w > 1e-9 * max(w.max(initial=0.0), 1.0)
    return (v[:, keep] / w[keep]) @ v[:, keep].T


class _Systeme:
    """The counts printed, as sums of cells, split for speed: most lines of the tables (a structure's counts)
    add up cells of one block (one structure), the others (types, categories, reasons, years, key figures)
    cells of many. With P the projection on the span of the block lines (block by block), a sum h is a
    combination of printed lines exactly when (I − P) h is a combination of the (I − P) g of the printed
    lines g across blocks: a system of a few hundred lines whatever the number of structures, whose Gram
    matrix adds up block by block (the matrix of all the lines × cells is never built).

    All the blocks are handled at once, as arrays padded to the largest one (B blocks of at most C cells):
    the lines within each block (B × L × C, padded with lines of zeros, which change no span), their SVD, and
    for each cell its column of (I − P) R (R: the lines across blocks; cells × a few hundred), so that
    R (I − P) h is a sum over the cells of h. No loop over the blocks: on a folder 100 times the demo (900
    structures) such loops took 2 to 4 s per year audited."""

    def __init__(self, block_of: np.ndarray, known: list[np.ndarray]):
        self.block_of = block_of
        self.n = len(block_of)
        self.known = known
        sizes = np.bincount(block_of)
        order = np.argsort(block_of, kind="stable")
        self.pos = np.empty(self.n, dtype=np.intp)  # each cell's place in its block
        self.pos[order] = np.arange(self.n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        nb, width = len(sizes), int(sizes.max(initial=0))
        # Each known line within one block (local) or across blocks.
        lengths = np.array([len(idx) for idx in known], dtype=np.intp)
        cells = np.concatenate(known).astype(np.intp) if len(known) else np.zeros(0, dtype=np.intp)
        line = np.repeat(np.arange(len(known)), lengths)
        first = np.cumsum(lengths) - lengths
        full = lengths > 0
        low, high = np.full(len(known), -1), np.full(len(known), -2)
        if cells.size:
            low[full] = np.minimum.reduceat(block_of[cells], first[full])
            high[full] = np.maximum.reduceat(block_of[cells], first[full])
        local = low == high
        self.across = np.flatnonzero(~local)  # known lines across blocks
        # The local lines, block by block: rank[r] is line r's place among its block's lines.
        by_block = np.flatnonzero(local)[np.argsort(low[local], kind="stable")]
        count = np.bincount(low[by_block], minlength=nb)
        rank = np.zeros(len(known), dtype=np.intp)
        rank[by_block] = np.arange(len(by_block)) - np.repeat(np.cumsum(count) - count, count)
        self.has_local = count > 0
        self.local_line = np.full((nb, int(count.max(initial=0))), -1)  # the known line of each, -1: padding
        self.local_line[low[by_block], rank[by_block]] = by_block
        lines = np.zeros((nb, self.local_line.shape[1], width))
        on_local = local[line]
        lines[block_of[cells[on_local]], rank[line[on_local]], self.pos[cells[on_local]]] = 1.0
        self.u, sv, self.vt = np.linalg.svd(lines, full_matrices=False)  # B × L × K, B × K, B × K × C
        keep = sv > 1e-9 * np.maximum(sv.max(axis=1, initial=0.0), 1.0)[:, None]
        self.vt *= keep[:, :, None]  # rows: an orthonormal basis of the span of the block's lines, or 0
        self.inv_sv = np.divide(1.0, sv, out=np.zeros_like(sv), where=keep)
        # (I − P) of the lines across blocks, on each cell: cells × G.
        index = np.zeros(len(known), dtype=np.intp)
        index[self.across] = np.arange(len(self.across))
        across = np.zeros((nb, width, len(self.across)))
        on_across = ~on_local
        across[block_of[cells[on_across]], self.pos[cells[on_across]], index[line[on_across]]] = 1.0
        across -= np.einsum("bkc,bke,beg->bcg", self.vt, self.vt, across, optimize=True)
        self.across_of_cell = across[block_of, self.pos]
        # cells × K: each cell's column of its block's basis
        self.basis_of_cell = self.vt[block_of, :, self.pos]
        gram = self.across_of_cell.T @ self.across_of_cell
        self.gram_pinv = _pinv(gram)

    def _residuals(self, sums: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """For each sum h of cells (no cell twice), with r = (I − P) h: |r|² = |h|² − |P h|² (P h added up
        block by block) and R r = Σ over the cells of h of (I − P) R. By slices of sums, to bound memory."""
        norm2, rr = np.zeros(len(sums)), np.zeros((len(self.across), len(sums)))
        budget = max(1, 2_000_000 // max(1, len(self.across), self.basis_of_cell.shape[1]))
        start = 0
        while start < len(sums):
            stop, cells_in = start, 0
            while stop < len(sums) and (stop == start or cells_in + len(sums[stop]) <= budget):
                cells_in += len(sums[stop])
                stop += 1
            self._residuals_slice(sums[start:stop], norm2[start:stop], rr[:, start:stop])
            start = stop
        return norm2, rr

    def _residuals_slice(self, sums: list[np.ndarray], norm2: np.ndarray, rr: np.ndarray) -> None:
        sizes = np.array([len(idx) for idx in sums], dtype=np.intp)
        full = np.flatnonzero(sizes)
        if not len(full):
            return
        cells = np.concatenate([sums[k] for k in full]).astype(np.intp)
        which = np.repeat(full, sizes[full])
        first = np.cumsum(sizes[full]) - sizes[full]
        rr[:, full] = np.add.reduceat(self.across_of_cell[cells], first, axis=0).T
        # P h, block by block within each sum: cells sorted by (sum, block).
        order = np.lexsort((self.block_of[cells], which))
        cells, which = cells[order], which[order]
        blocks = self.block_of[cells]
        group = np.flatnonzero(np.r_[True, (which[1:] != which[:-1]) | (blocks[1:] != blocks[:-1])])
        projected = np.add.reduceat(self.basis_of_cell[cells], group, axis=0)
        norm2[:] = sizes - np.bincount(which[group], weights=np.einsum("gk,gk->g", projected, projected),
                                       minlength=len(sums))  # fmt: skip

    def given_back_many(self, sums: list[np.ndarray]) -> np.ndarray:
        """For each sum of cells, whether it is a combination of the known lines: |r|² = |projection of r on
        the lines across blocks|² with r = (I − P) h."""
        norm2, rr = self._residuals(sums)
        quad = np.einsum("ik,ik->k", rr, self.gram_pinv @ rr)
        return norm2 - quad < 1e-9

    def combination(self, idx: np.ndarray, everywhere: bool = False) -> dict[int, float]:
        """Known lines (their index) that a given-back sum h uses: those across blocks, and those of h's own
        blocks (of every block with everywhere=True) that the rest of h needs once the lines across blocks are
        taken away (least squares of minimum norm, from the blocks' SVD)."""
        y = self.gram_pinv @ self._residuals([idx])[1][:, 0]
        out = {int(r): c for r, c in zip(self.across, y, strict=True) if abs(c) > 1e-7}
        rest = np.zeros(self.n)
        rest[idx] = 1.0
        for r, c in out.items():
            rest[self.known[r]] -= c
        blocks = np.unique(
            self.block_of[np.flatnonzero(np.abs(rest) > 1e-7)] if everywhere else self.block_of[idx]
        )
        blocks = blocks[self.has_local[blocks]]
        if len(blocks):
            where = np.full(len(self.has_local), -1)
            where[blocks] = np.arange(len(blocks))
            cells = np.flatnonzero(where[self.block_of] >= 0)
            rest_of = np.zeros((len(blocks), self.vt.shape[2]))
            rest_of[where[self.block_of[cells]], self.pos[cells]] = rest[cells]
            # min-norm solution of lines[b]ᵀ x = rest[b]: x = U S⁻¹ Vᵀ rest[b]
            coef = np.einsum("blk,bk->bl", self.u[blocks], self.inv_sv[blocks] * np.einsum(
                "bkc,bc->bk", self.vt[blocks], rest_of))  # fmt: skip
            lines = self.local_line[blocks]
            chosen = (np.abs(coef) > 1e-7) & (lines >= 0)
            out.update(zip(lines[chosen].tolist(), coef[chosen].tolist(), strict=True))
        return out


def _zeros(lines: list, printed: list[int], fixed: list[np.ndarray], n: np.ndarray, size: int):
    """The cells a reader knows to be zero, counts being never negative: those of a count printed 0, and
    those that a count has beyond another one it contains when both are printed equal (all exits and the
    examined ones of a line, 26 and 26: nobody left unexamined). Returns (the cells, {cell: the printed
    lines whose hiding would stop that inference}) — cells known from key figures or a printed 0 have none."""
    zero = np.zeros(size, dtype=bool)
    sources: dict[int, tuple] = {}
    by_line: dict[tuple, list[int]] = {}
    for p in printed:
        t, i, _, idx, value = lines[p]
        if value == 0:
            zero[idx] = True
        by_line.setdefault((t, i), []).append(p)
    groups = [[(None, idx, float(n[idx].sum())) for idx in fixed]]
    groups += [[(p, lines[p][3], lines[p][4]) for p in ps] for ps in by_line.values() if len(ps) > 1]
    for group in groups:
        # by place in the group: the key figures' entries all have None for a printed line
        for ia, (a, big, va) in enumerate(group):
            for ib, (b, small, vb) in enumerate(group):
                if ia == ib or va != vb or len(small) >= len(big) or not np.isin(small, big).all():
                    continue
                rest = big[~np.isin(big, small)]
                new = rest[~zero[rest]]
                for c in new:
                    sources.setdefault(int(c), tuple(x for x in (a, b) if x is not None))
                zero[new] = True
    return np.flatnonzero(zero), sources


# A table most of whose counts are small is masked whole: the bounds its words give away ("< 5" is 1 to 4)
# would pin its small counts down from the totals printed beside it, and hiding a few more cells does not
# free them when there is almost nothing else to hide (a commune with a handful of exits).
PART_PETITS_MAX = 0.5


def _trop_petit(tab: Tableau) -> bool:
    """Whether more than PART_PETITS_MAX of a table's non-zero counts are small (linked_masks leaves it out)."""
    values = tab.df[list(tab.columns)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    positive = np.nan_to_num(values) > 0
    small = positive & (values < SEUIL)
    return bool(positive.any() and small.sum() > PART_PETITS_MAX * positive.sum())


def _linked_words(cells, tableaux, active, fixed, n, block_of) -> tuple[list, dict]:
    """The cells each table of `active` masks (see linked_masks), the others (withdrawn) not printed at all;
    and, for each table of `active`, the cells the key figures give back (known: never hidden to protect
    another)."""
    lines = []  # (table index, line position, column position, cells summed, value)
    for t in active:
        tab = tableaux[t]
        groups = pd.Series(np.arange(len(cells))).groupby(cells[tab.dim or tab.key].to_numpy()).indices
        selections = {c: _select(cells, sel) for c, sel in tab.columns.items()}
        for i, k in enumerate(tab.df[tab.key]):
            on_line = groups.get(k)
            if on_line is None:  # a line outside the cells (another period) says nothing about them
                continue
            for j, c in enumerate(tab.columns):
                idx = on_line[selections[c][on_line]]
                if len(idx):
                    lines.append((t, i, j, idx, float(n[idx].sum())))
    forced = {t: np.zeros((len(tableaux[t].df), len(tableaux[t].columns)), dtype=bool) for t in active}
    comptes = {
        t: _Comptes.of(tableaux[t].df, list(tableaux[t].columns), tableaux[t].across_columns) for t in active
    }
    public = set()  # hidden counts the key figures give back on their own: nothing left to protect there
    # Cells that repeat a printed key figure (the same exits: the year's line of the table by year and the
    # lasting jobs of the year) are known whatever the table prints: hiding them would protect nothing and
    # would read "masqué" beside the figure printed as a key figure (or in the Bilan annuel).
    printed_alone = {tuple(f) for f in fixed}
    pinned = {p for p, line in enumerate(lines) if tuple(line[3]) in printed_alone}
    # And so are the cells the key figures give back together: the "other exits" of a commune are its examined
    # exits less its dynamic ones, both printed.
    if fixed and lines:
        zeros = _zeros(lines, [], fixed, n, len(cells))[0]  # all exits printed equal to the examined ones
        by_fixes = _Systeme(block_of, fixed + [np.array([c]) for c in zeros])
        pinned |= {p for p, b in enumerate(by_fixes.given_back_many([line[3] for line in lines])) if b}
    known = {t: np.zeros((len(tableaux[t].df), len(tableaux[t].columns)), dtype=bool) for t in active}
    for p in pinned:  # nor do the tables' own rules choose them to protect another count
        t, i, j, _, _ = lines[p]
        known[t][i, j] = True
    words: list = [None] * len(tableaux)
    changed = set(active)  # the tables whose forced cells changed: their masks run again
    # Each turn forces a printed cell or declares a hidden one public, or stops: at most 2 × lines turns.
    for _ in range(2 * len(lines) + 2):
        for t in changed:
            words[t] = pd.notna(
                comptes[t].words(
                    forced[t], linked=np.ones(len(tableaux[t].columns), dtype=bool), known=known[t]
                )
            )
        masked = [words[t][i, j] and p not in public for p, (t, i, j, _, _) in enumerate(lines)]
        printed = [p for p, m in enumerate(masked) if not m]
        zeros, sources = _zeros(lines, printed, fixed, n, len(cells))
        system = _Systeme(block_of, fixed + [lines[p][3] for p in printed] + [np.array([c]) for c in zeros])
        hidden = [p for p, m in enumerate(masked) if m and lines[p][4] > 0]  # a hidden 0 designates nobody
        back = [
            p for p, b in zip(hidden, system.given_back_many([lines[p][3] for p in hidden]), strict=True) if b
        ]
        if not back:
            break
        chosen = set()
        for h in back:
            for everywhere in (False, True):  # h's own structure and the lines across structures first
                used = system.combination(lines[h][3], everywhere)
                first_zero = len(fixed) + len(printed)
                candidates = [printed[r - len(fixed)] for r in used if len(fixed) <= r < first_zero]
                candidates += [
                    p for r in used if r >= first_zero for p in sources.get(int(zeros[r - first_zero]), ())
                ]
                candidates = [  # public: hidden anyway; pinned: printed anyway
                    p for p in candidates if lines[p][4] > 0 and p not in public and p not in pinned
                ]
                if candidates:
                    break
            if not candidates:
                public.add(h)
                continue
            chosen.add(min(candidates, key=lambda p: (lines[p][4], p)))
        changed = {lines[p][0] for p in chosen}
        for p in chosen:
            t, i, j, _, _ = lines[p]
            forced[t][i, j] = True
    return words, known


def linked_masks(
    cells: pd.DataFrame, tableaux: list[Tableau], fixes=(), value: str = "n", block: str = "structure_id"
) -> dict:
    """The cells each table masks ({name: boolean frame on the table's index and count columns}, for masks'
    `forced`: its own rules and those the audit adds) so that no count hidden by any of them is given back by
    the counts all of them, and the key figures `fixes`, print. cells[value]: the finest table's counts;
    cells[block]: the column splitting the system in blocks (see _Systeme). A page printing some columns of a
    table, or the same counts in another table, passes them as `forced`: it masks exactly these cells (the
    rules of masks add none to a table that satisfies them). A table left with every non-zero count hidden is
    withdrawn (retire: the pages do not show it, all its cells read masked here) and the others are masked
    again without it: what it no longer prints frees them."""
    n = cells[value].to_numpy(dtype=float)
    block_of = pd.factorize(cells[block])[0]
    fixed = [np.flatnonzero(_select(cells, f.selection)) for f in fixes if f.shown]
    active = [t for t, tab in enumerate(tableaux) if not _trop_petit(tab)]  # the others are left out at once
    while True:  # each turn withdraws one table, or stops
        words, known = _linked_words(cells, tableaux, active, fixed, n, block_of)
        gone = [t for t in active if _hides_every_count(tableaux[t].df[list(tableaux[t].columns)], words[t])]
        if not gone:
            break
        # One at a time, the most hidden first: two tables printing nearly the same counts (exits by category
        # on the Sorties page and on the Fiche commune) hide each other's; without the first, the second
        # often prints again.
        active.remove(max(gone, key=lambda t: (words[t].mean(), words[t].size, -t)))
    for t in set(range(len(tableaux))) - set(active):
        words[t] = np.ones((len(tableaux[t].df), len(tableaux[t].columns)), dtype=bool)
    out = {}
    for t, (tab, w) in enumerate(zip(tableaux, words, strict=True)):
        # every cell masked, by the table's own rules too: a page printing some of its columns masks them
        out[tab.name] = pd.DataFrame(w, index=tab.df.index, columns=list(tab.columns))
        if t in known and known[t].any():  # masks reads them there (CONNUS)
            known_t = pd.DataFrame(known[t], index=tab.df.index, columns=list(tab.columns))
            out[tab.name].attrs[CONNUS] = Connus(known_t)
    return out
