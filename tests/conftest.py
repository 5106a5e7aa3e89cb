"""Test-session settings shared by every test: the data folder and state directory the code sees, and the
two databases most tests read (the hand-made fixture folder and the demo data), loaded once per session
(per worker under pytest-xdist). A Database is never written to after it is built: sharing it is safe."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Tests must never read a real export a developer pointed IMPACT_DATA at in their shell, nor write into
# the repository's state directory: pin both before any test module imports the package.
os.environ["IMPACT_DATA"] = str(ROOT / "data" / "demo")
_STATE = tempfile.mkdtemp(prefix="impact-etat-")
os.environ["IMPACT_STATE"] = _STATE
# No background computation of a meeting's figures (impact.prefetch) in the dashboards the suites run by the
# dozen: it times nothing and would only compete with them; tests/app/test_prefetch.py runs it.
os.environ["IMPACT_PREFETCH"] = "0"


def pytest_unconfigure(config):
    shutil.rmtree(_STATE, ignore_errors=True)


def load_db(folder: Path):
    """The Database of a folder that must load without error (the errors are the assertion message)."""
    from impact.db import Database
    from impact.load import load_folder

    result = load_folder(folder)
    assert result.ok, [str(p) for p in result.errors]
    return Database(result)


@pytest.fixture(scope="session")
def mini_db(tmp_path_factory):
    """The hand-made fixture folder of tests/fixtures.py (figures computed by hand in the tests)."""
    from tests.fixtures import mini_folder

    return load_db(mini_folder(tmp_path_factory.mktemp("mini")))


@pytest.fixture(scope="session")
def db(mini_db):
    """Short name the unit tests of the queries use for the fixture folder's database."""
    return mini_db


@pytest.fixture(scope="session")
def demo_db():
    """The embedded demo data (data/demo)."""
    from impact import DEMO_DIR

    return load_db(DEMO_DIR)
