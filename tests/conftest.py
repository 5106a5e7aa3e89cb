"""Test-session settings shared by every test: the data folder and state directory the code sees."""

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Tests must never read a real export a developer pointed IMPACT_DATA at in their shell, nor write into
# the repository's state directory: pin both before any test module imports the package.
os.environ["IMPACT_DATA"] = str(ROOT / "data" / "demo")
_STATE = tempfile.mkdtemp(prefix="impact-etat-")
os.environ["IMPACT_STATE"] = _STATE


def pytest_unconfigure(config):
    shutil.rmtree(_STATE, ignore_errors=True)
