"""impact.prefetch: what it computes in the background is what a meeting's first masked pages then read (the same
cached calls), and it starts once per data version."""

from __future__ import annotations

import threading

import pytest
import streamlit as st

from impact import prefetch
from impact.db import Database
from impact.indicators import sorties
from tests.app.conftest import run_app

pytestmark = pytest.mark.app


def test_the_meeting_pages_compute_no_mask_after_the_prefetch(monkeypatch):
    db = run_app().session_state["_ctx"].db
    # Nothing read back from an earlier test: no disk, no memory. Each call computed is recorded (view.cached).
    computed = []
    monkeypatch.setattr(Database, "remember", lambda self, key, compute: computed.append(key[0]) or compute())
    sorties._MASQUES.pop(db, None)
    st.cache_data.clear()
    audits = []
    audit = sorties._masques
    monkeypatch.setattr(sorties, "_masques", lambda db, f: audits.append(f) or audit(db, f))

    prefetch.warm(db)
    # The Sorties page's rates by year: every year of the data, for the territory and each commune nouvelle.
    years = db.con.execute("SELECT count(DISTINCT year(mois)) FROM heures_x").fetchone()[0]
    assert len(audits) == years * 7, len(audits)

    audits.clear()
    computed.clear()
    for page in ("sorties.py", "fiche_commune.py", "bilan.py"):
        run_app(page, mode="presentation")
    commune = run_app("sorties.py", mode="presentation", communes="Mauges-sur-Loire")
    assert commune.session_state["_ctx"].filtres.communes == ("49244",)
    assert audits == []
    meeting = {f"impact.indicators.{name}" for name in ("sorties.masques", "commune.fiche", "bilan.bilan")}
    assert not meeting & set(computed), computed


def test_it_starts_once_per_data_version(monkeypatch):
    monkeypatch.setenv("IMPACT_PREFETCH", "1")
    monkeypatch.setattr(prefetch, "DELAY_S", 0)
    monkeypatch.setattr(prefetch, "_STARTED", set())
    warmed = []
    done = threading.Event()
    monkeypatch.setattr(prefetch, "warm", lambda db: (warmed.append(db.version), done.set()))

    class Version:
        def __init__(self, version):
            self.version = version

    first = prefetch.start(Version("a"))
    assert first is not None and done.wait(10)
    first.join(10)
    assert prefetch.start(Version("a")) is None  # the same data: already done
    second = prefetch.start(Version("b"))  # a new import
    assert second is not None
    second.join(10)
    assert warmed == ["a", "b"]
    monkeypatch.setenv("IMPACT_PREFETCH", "0")
    assert prefetch.start(Version("c")) is None


def test_only_a_masked_session_starts_it(monkeypatch):
    started = []
    monkeypatch.setattr(prefetch, "start", lambda db: started.append(db.version))
    run_app()
    assert started == []  # the coordination's normal pages: nothing in the background
    run_app(mode="presentation")
    assert len(started) == 1
