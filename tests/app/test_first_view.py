"""The first view of a page on a fresh server does not load what only its downloads need: matplotlib, fpdf and
openpyxl cost 0,8 s to import, paid by the first click on « Télécharger », not by the official who opens the
Fiche commune in a meeting (tests/e2e/test_documents.py downloads the documents themselves)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from impact import DEMO_DIR, ROOT

pytestmark = pytest.mark.app

DOCUMENT_LIBRARIES = ("matplotlib", "fpdf", "openpyxl", "docx")
PAGES = ("fiche_commune", "bilan", "offre")

# A fresh interpreter: the test process has imported every library already.
SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
loaded = {}
for page in sys.argv[2].split(","):
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    loaded[page] = [m for m in sys.argv[3].split(",") if m in sys.modules]
print(json.dumps(loaded))
"""


def test_first_views_leave_the_document_libraries_to_the_downloads(tmp_path):
    env = {**os.environ, "IMPACT_DATA": str(DEMO_DIR), "IMPACT_STATE": str(tmp_path / "etat")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(ROOT / "dashboard.py"),
            ",".join(PAGES),
            ",".join(DOCUMENT_LIBRARIES),
        ],
        check=False,  # the return code is asserted with the error output
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {page: [] for page in PAGES}
