"""AppTest helpers: run the real dashboard on the demo data, on a given page, with given URL filters.

`demo_db` (the demo data's Database) lives in tests/conftest.py, shared with the unit tests."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from impact import DEMO_DIR, ROOT

# Each new AppTest scans every installed package's metadata for Streamlit components (about 0,1 s each, 18 s
# of CPU per run of the suite, profiled): the installed packages do not change while the tests run.
manifest_scanner.scan_component_manifests = cache(manifest_scanner.scan_component_manifests)


@pytest.fixture(autouse=True)
def _clean_caches(monkeypatch, tmp_path):
    monkeypatch.setenv("IMPACT_DATA", str(DEMO_DIR))
    monkeypatch.setenv("IMPACT_STATE", str(tmp_path / "etat"))
    # Query results are recomputed by every test. The loaded database (st.cache_resource) is kept: it is
    # keyed by the folder and the version of its content, so a test that changes a folder's files gets a
    # fresh load, and reloading the unchanged demo data before each test only cost time (~10 s each).
    st.cache_data.clear()
    yield


@cache
def page_titles() -> dict[str, tuple[str, str]]:
    """file -> (title, url_path) of every page of dashboard.SECTIONS (read without running Streamlit)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    sections = next(
        ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SECTIONS" for t in node.targets)
    )
    return {
        file: (title, rest[1] if len(rest) > 1 else Path(file).stem)
        for entries in sections.values()
        for file, title, *rest in entries
    }


def run_app(
    page: str | None = None, timeout: float = 120, voir: Iterable[str] | bool = (), **query
) -> AppTest:
    """Runs dashboard.py on pages/<page> (default: the home page) with query parameters as a shared link
    would. A page whose address is its file name is opened straight away (one script run, as a deep link);
    otherwise the home page runs first so that st.navigation registers the page. voir: the keys of the
    tables to open first (ui.lazy_expander, "voir_<file name>"), as a user clicks « Voir le tableau… »;
    True: every one of them (open_all, one more run)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    for key in () if voir is True else voir:
        at.session_state[key] = True
    title, url_path = page_titles().get(page, (None, None)) if page else (None, None)
    if page and url_path != Path(page).stem:
        at.run()
    if page:
        at.switch_page(f"pages/{page}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if title is not None:
        shown = [t.value for t in at.title]
        assert shown[:1] == [title], f"pages/{page} : titre {shown[:1]} au lieu de {title!r}"
    return open_all(at) if voir is True else at


def lazy_keys(at: AppTest) -> list[str]:
    """The keys of the page's closed lazy expanders (ui.lazy_expander): their id ends with "-voir_…"."""
    keys = ["voir_" + e.proto.id.split("-voir_", 1)[1] for e in at.expander if "-voir_" in e.proto.id]
    return [k for k in keys if not at.session_state.get(k)]


def open_all(at: AppTest) -> AppTest:
    """Opens every table the page holds behind « Voir… » (ui.lazy_expander), as a user clicking each, and
    runs the page again: what a masking scan must read."""
    keys = lazy_keys(at)
    for key in keys:
        at.session_state[key] = True
    if keys:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def normalize(text: str) -> str:
    """Streamlit strings use narrow and regular no-break spaces: compare on plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")
