"""French typography in the texts the dashboard writes (pages, documents, messages)."""

import re

from impact import ROOT

# A breakable space inside « » lets a line end on "«" or start with "»" ("(« < 5 », «" then "masqué »" on the
# next line, in the read-only role's caption at 1024 px).
BREAKABLE = re.compile(r"« |(?<=\S) »")


def test_guillemets_hold_their_words_with_no_break_spaces():
    sources = [*(ROOT / "impact").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "dashboard.py"]
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BREAKABLE.search(line)
    ]
    assert not found, found
