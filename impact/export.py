"""Table exports: CSV that opens cleanly in French Excel (`;`, UTF-8 BOM, decimal comma, no formulas)."""

from __future__ import annotations

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell starting like a formula is prefixed with an apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(df: pd.DataFrame) -> bytes:
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.map({True: "oui", False: "non"})
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%d/%m/%Y")
        elif not pd.api.types.is_numeric_dtype(s):
            out[col] = s.astype(object).map(neutralise)
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")
