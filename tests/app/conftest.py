"""AppTest helpers: run the real dashboard on the demo data, on a given page, with given URL filters."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from impact import DEMO_DIR, ROOT
from impact.db import Database
from impact.load import load_folder


@pytest.fixture(autouse=True)
def _clean_caches(monkeypatch, tmp_path):
    monkeypatch.setenv("IMPACT_DATA", str(DEMO_DIR))
    monkeypatch.setenv("IMPACT_STATE", str(tmp_path / "etat"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture(scope="session")
def demo_db() -> Database:
    result = load_folder(DEMO_DIR)
    assert result.ok
    return Database(result)


def run_app(page: str | None = None, timeout: float = 120, **query) -> AppTest:
    """Runs dashboard.py (optionally switched to pages/<page>) with query parameters as a shared link would."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def normalize(text: str) -> str:
    """Streamlit strings use narrow and regular no-break spaces: compare on plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")
