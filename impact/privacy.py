"""Small-count suppression for views shown outside the team: the one rule every page and export uses.

A count of people from 1 to 4 is shown as "< 5"; when a line or column of a table would then hold a
single masked cell, the next smallest cell is masked too, so that nobody recomputes the hidden value
from the total (secondary suppression). Rates on fewer than 10 exits are never shown (indicators.Taux).
"""

from __future__ import annotations

import pandas as pd

SEUIL = 5
MASQUE = "< 5"


def is_small(n) -> bool:
    return n is not None and not pd.isna(n) and 0 < n < SEUIL


def mask_value(n):
    """A single figure shown alone (no total beside it)."""
    return MASQUE if is_small(n) else n


def _secondary(block: pd.DataFrame, masked: pd.DataFrame, axis: int) -> bool:
    """Mask one more cell in every line (axis=1) or column (axis=0) holding exactly one masked cell."""
    changed = False
    lines = block.index if axis == 1 else block.columns
    for lab in lines:
        vals = block.loc[lab] if axis == 1 else block[lab]
        m = masked.loc[lab] if axis == 1 else masked[lab]
        if int(m.sum()) != 1:
            continue
        candidates = vals[(~m) & (vals.fillna(0) > 0)]
        if candidates.empty:
            continue
        target = candidates.astype(float).idxmin()
        if axis == 1:
            masked.loc[lab, target] = True
        else:
            masked.loc[target, lab] = True
        changed = True
    return changed


def mask_counts(df: pd.DataFrame, count_columns: list[str], *, across_columns: bool = False) -> pd.DataFrame:
    """Returns a copy where the masked cells of count_columns read "< 5".

    Columns are always protected against recomputation from their total; with across_columns=True
    (count columns that add up to a line total, e.g. exits by category), lines are protected too.
    """
    out = df.copy()
    cols = [c for c in count_columns if c in df.columns]
    if not cols or df.empty:
        return out
    block = df[cols].apply(pd.to_numeric, errors="coerce")
    masked = block.map(is_small)
    for _ in range(10):  # each pass can create new single masked cells; a few passes settle it
        changed = _secondary(block, masked, axis=0)
        if across_columns:
            changed = _secondary(block, masked, axis=1) or changed
        if not changed:
            break
    for c in cols:
        out[c] = out[c].astype(object).where(~masked[c], MASQUE)
    return out


TAUX_MASQUE = "masqué (petit effectif)"


def rate_reveals_small_count(n, N) -> bool:
    """A rate shown with its base N gives back n and N − n: hide it when either is a small count."""
    if n is None or N is None or pd.isna(n) or pd.isna(N):
        return False
    return is_small(n) or is_small(N - n)


def mask_rates(df: pd.DataFrame, rates: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Rates {rate_column: (n_column, N_column)} replaced by TAUX_MASQUE where they would reveal a small count."""
    out = df.copy()
    for rate, (n, big_n) in rates.items():
        hide = [rate_reveals_small_count(a, b) for a, b in zip(df[n], df[big_n], strict=True)]
        out[rate] = out[rate].astype(object).where(~pd.Series(hide, index=df.index), TAUX_MASQUE)
    return out
