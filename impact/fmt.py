"""French formatting of numbers, hours, money, percents, dates and months — for every screen and document."""

from __future__ import annotations

import math
from datetime import date, datetime

NNBSP = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before a unit
MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
MOIS_COURTS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
DASH = "—"
MINUS = "−"  # U+2212, the sign of a negative number in French typography


def _missing(x) -> bool:
    return (
        x is None
        or (isinstance(x, float) and math.isnan(x))
        or (hasattr(x, "__class__") and str(x) == "<NA>")
    )


def number(x, decimals: int = 0) -> str:
    """1234.5 -> "1 234,5" (narrow no-break space between thousands, decimal comma)."""
    if _missing(x):
        return DASH
    x = float(x)
    if round(x, decimals) == 0:
        x = 0.0  # never print "-0"
    s = f"{x:,.{decimals}f}"
    return s.replace(",", NNBSP).replace(".", ",")


def integer(x) -> str:
    return number(x, 0)


def hours(x, decimals: int = 0) -> str:
    """4500 -> "4 500 h"."""
    return DASH if _missing(x) else f"{number(x, decimals)}{NBSP}h"


def euros(x, decimals: int = 0) -> str:
    """100000 -> "100 000 €"."""
    return DASH if _missing(x) else f"{number(x, decimals)}{NBSP}€"


def percent(fraction, decimals: int = 1) -> str:
    """0.625 -> "62,5 %"."""
    return DASH if _missing(fraction) else f"{number(float(fraction) * 100, decimals)}{NBSP}%"


def signed_percent(fraction, decimals: int = 1) -> str:
    if _missing(fraction):
        return DASH
    s = percent(abs(fraction), decimals)
    return ("+" if fraction > 0 else MINUS if fraction < 0 else "") + s


def sign(x) -> str:
    """The sign written before a change: "+" (zero included) or the minus sign "−"."""
    return MINUS if x < 0 else "+"


def etp(x) -> str:
    return DASH if _missing(x) else f"{number(x, 1)}{NBSP}ETP"


def day(d: date | datetime | None) -> str:
    """date(2026, 9, 30) -> "30/09/2026"."""
    return DASH if d is None else d.strftime("%d/%m/%Y")


def moment(value: str | datetime | None) -> str:
    """A moment written by the state or the import history: "2026-12-06T11:53:43" -> "06/12/2026 à 11:53"."""
    if value is None:
        return DASH
    try:
        d = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day(d)} à {d:%H:%M}"


def day_long(d: date | None) -> str:
    """date(2026, 9, 30) -> "30 septembre 2026"."""
    if d is None:
        return DASH
    return f"{'1er' if d.day == 1 else d.day} {MOIS[d.month - 1]} {d.year}"


def month(d: date | datetime) -> str:
    """date(2026, 9, 1) -> "septembre 2026"."""
    return f"{MOIS[d.month - 1]} {d.year}"


def month_short(d: date | datetime) -> str:
    return f"{MOIS_COURTS[d.month - 1]} {d.year}"


# An en dash lets a line break after it ("2019–" at the end of a title's line, "2026" on the next): a word joiner
# (drawn as nothing, on screen as in the PDF's fonts) holds the two years together.
PERIOD_DASH = "–\u2060"


def period(debut: int, fin: int) -> str:
    """period(2025, 2025) -> "2025"; period(2019, 2026) -> "2019–2026", never broken across two lines."""
    return str(debut) if debut == fin else f"{debut}{PERIOD_DASH}{fin}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """plural(1, "structure") -> "1 structure"; plural(14, "structure") -> "14 structures"."""
    word = singular if abs(n) < 2 else (plural_form or singular + "s")
    return f"{integer(n)} {word}"


def day_or(d, missing: str = DASH) -> str:
    """A date as "30/09/2026", or `missing` for None/NaT (e.g. "en cours" for a contract without end)."""
    return missing if d is None or _missing(d) or str(d) == "NaT" else day(d)
