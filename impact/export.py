"""Table exports: CSV that opens cleanly in French Excel (`;`, UTF-8 BOM, decimal comma, no formulas).

A CSV holds the figures of the screen, as numbers: each value is rounded as the screen rounds it, and the
unit the screen writes after it moves to the header ("heures travaillées (h)" 47405, not "47 405 h" nor
47404,5599999998). One convention for rates in every export: a rate is a number of percent with one
decimal in a column whose header ends with "(%)" (58,7 for 58,7 %); the XLSX workbook stores it as an
Excel percentage cell, which shows the same 58,7 %. A change of rate is in points, never in percent.
Masked cells ("< 5") and empty values stay as they are: a missing figure is an empty cell, never 0.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from impact import fmt

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A French number as fmt writes it, then its unit: "1 234,5 h", "62,5 %", "−3,5 pt", "126,9 ETP".
_SCREEN_NUMBER = re.compile(
    r"^(?P<sign>[-−+]?)(?P<int>\d{1,3}(?:[\s\u00a0\u202f]\d{3})*|\d+)(?:,(?P<dec>\d+))?"
    r"(?:[\s\u00a0\u202f](?P<unit>h|%|€|ETP|pts?))?$"
)
UNITS = {"h": "h", "%": "%", "€": "€", "ETP": "ETP", "pt": "points", "pts": "points"}
# A rate column the page gave without a formatter (a fraction of 1) is exported like fmt.percent.
RATE_PREFIXES = ("taux", "part")
# Other decimals without a formatter: enough for any figure of the dashboard, none of the float noise.
FREE_DECIMALS = 2


def neutralise(value):
    """A text cell starting like a formula is prefixed with an apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def screen_number(text: str) -> tuple[float, int, str | None] | None:
    """ "1 234,5 h" -> (1234.5, 1, "h"): the number a French figure of the screen shows, its number of
    decimals and its unit (None for a plain number); None when the text is not such a figure."""
    m = _SCREEN_NUMBER.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        return None
    digits = re.sub(r"\D", "", m["int"]) + ("." + m["dec"] if m["dec"] else "")
    value = float(digits) * (-1 if m["sign"] in "-−" and m["sign"] else 1)
    return value, len(m["dec"] or ""), UNITS.get(m["unit"]) if m["unit"] else None


def _missing(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _number_text(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # never "-0"
    return text.replace(".", ",")


def _free_text(value: float) -> str:
    text = _number_text(value, FREE_DECIMALS)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _with_unit(header: str, unit: str | None) -> str:
    if unit is None or f"({unit.lower()}" in header.lower() or (unit == "ETP" and "etp" in header.lower()):
        return header
    return f"{header} ({unit})"


def _column(name: str, s: pd.Series, formatter: Callable | None) -> tuple[str, list]:
    """The header and the cells (text) of one column of the CSV."""
    if pd.api.types.is_bool_dtype(s):
        return name, ["" if _missing(v) else ("oui" if v else "non") for v in s]
    if pd.api.types.is_datetime64_any_dtype(s):
        return name, ["" if _missing(v) else v.strftime("%d/%m/%Y") for v in s]
    if formatter is None and pd.api.types.is_float_dtype(s) and name.lower().startswith(RATE_PREFIXES):
        formatter = fmt.percent
    cells, units = [], set()
    for v in s:
        if _missing(v):
            cells.append("")
            continue
        if isinstance(v, bool | np.bool_):
            cells.append("oui" if v else "non")
            continue
        is_number = isinstance(v, numbers.Number)
        shown = formatter(v) if formatter is not None and is_number else v
        parsed = screen_number(shown) if isinstance(shown, str) else None
        # A text cell is a figure only with a unit: a code ("49023") or a year stays text.
        if parsed is not None and (is_number or parsed[2] is not None):
            value, decimals, unit = parsed
            units.add(unit)
            cells.append(_number_text(value, decimals))
        elif is_number and not (isinstance(v, float) and math.isinf(v)):
            cells.append(str(v) if isinstance(v, numbers.Integral) else _free_text(float(v)))
        elif hasattr(v, "strftime"):
            cells.append(v.strftime("%d/%m/%Y"))
        else:
            cells.append(neutralise(str(v)))
    header = _with_unit(name, units.pop()) if len(units) == 1 else name
    return header, cells


def csv_bytes(df: pd.DataFrame, formats: dict[str, Callable] | None = None) -> bytes:
    """The table as a CSV for French Excel. `formats` are the screen's formatters of the columns (those of
    ui.table): each number is written as the screen rounds it, its unit in the header."""
    formats = formats or {}
    columns = {}
    for name in df.columns:
        header, cells = _column(str(name), df[name], formats.get(name))
        columns[header] = cells
    out = pd.DataFrame(columns, dtype=object)
    text = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")
