"""Finds counts of 1 to 4 people (or exits) in text that a masked view shows: sentences, tiles, chart labels
and axes, hover, PDF and XLSX text. Used on the small-count folder (tests/fixtures.small_counts_folder),
where every count of people is between 1 and 4, so that any such number next to a counting word is a leak."""

from __future__ import annotations

import re

# Words that count people or exits (singular or plural), as the dashboard writes them.
PEOPLE = (
    r"personnes?|salariés?|sorties?|habitants?|entrées?|femmes?|hommes?|bénéficiaires?|demandeurs?|"
    r"résidents?|jeunes?|seniors?|reconnus?|parcours|contrats?|examinées?|dynamiques?|"
    r"emploi durable|emploi de transition|sorties? positives?|retraits?|autres? sorties?"
)
SMALL = r"(?<![\d,.\u202f\u00a0])[1-4](?![\d,.]|[\u202f\u00a0 ]\d{3})"
SPACE = r"[ \u00a0\u202f]"
PATTERNS = (
    # "4 sorties", "2 habitants de", "3 en emploi durable", "1 sortie examinée"
    re.compile(rf"{SMALL}{SPACE}+(?:[a-zàâéèêîôûç']+{SPACE}+){{0,1}}(?:{PEOPLE})\b", re.IGNORECASE),
    # A tile or a table line: "Sorties (IAE)\n3", "Habitants employés : 2"
    re.compile(rf"\b(?:{PEOPLE})\b[^\n\d<]{{0,40}}(?:\n|:){SPACE}*{SMALL}{SPACE}*(?:\n|$)", re.IGNORECASE),
    # A chart label written with its category: "Emploi durable 3", "Retrait 2"
    re.compile(rf"\b(?:{PEOPLE})\b{SPACE}+{SMALL}{SPACE}*(?:\n|$|;|,|\))", re.IGNORECASE),
)
# n/N or n / N of a rate (dates have two slashes, page numbers a word before: both left alone).
RATIO = re.compile(r"(?<![\d/])(?<!page )(\d+)[ \u00a0\u202f]?/[ \u00a0\u202f]?(\d+)(?![\d/])")


def _small(x: int) -> bool:
    return 0 < x < 5


def leaks(text: str) -> list[str]:
    """Every passage of `text` that shows a count of 1 to 4 people, or an n/N that gives one back."""
    found = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            start = max(0, m.start() - 40)
            found.append(text[start : m.end() + 20].replace("\n", " ⏎ "))
    for m in RATIO.finditer(text):
        n, big_n = int(m.group(1)), int(m.group(2))
        if n <= big_n and (_small(n) or _small(big_n) or _small(big_n - n)):
            start = max(0, m.start() - 40)
            found.append(text[start : m.end() + 20].replace("\n", " ⏎ "))
    return found
