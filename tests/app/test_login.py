"""The login gate in AppTest: nothing before login, wrong password, each role's pages, logout, expiry, deep
link, and the server reachable from the network without any account."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from impact import ROOT, accounts, journal, login, privacy, sidebar
from impact.filters import Filtres
from impact.indicators import listes
from tests.app.conftest import normalize

PASSWORD = "un mot de passe assez long"


@pytest.fixture(autouse=True)
def _always_through_dashboard(monkeypatch, tmp_path):
    """As on a running server after its first request: every run goes through dashboard.py (AppTest
    otherwise re-enters Streamlit's legacy pages/ mode at each run and runs a page alone)."""
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.setattr(PagesManager, "main_script_parent", property(lambda self: tmp_path))


@pytest.fixture
def comptes(monkeypatch, tmp_path):
    file = tmp_path / "comptes.toml"
    monkeypatch.setenv("IMPACT_COMPTES", str(file))
    accounts.add("claire", "coordination", PASSWORD, file)
    accounts.add("elu", "lecture", PASSWORD, file)
    return file


@pytest.fixture
def address():
    """Set server.address for one test, as `--server.address` would."""
    before = config.get_option("server.address")
    yield lambda a: config.set_option("server.address", a)
    config.set_option("server.address", before)


def start(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def log_in(at: AppTest, identifiant: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(identifiant)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "info", "error", "warning", "success")
        for e in getattr(at, kind)
    ]
    parts += [m.label + " " + m.value for m in at.metric]
    return normalize("\n".join(str(p) for p in parts))


def test_nothing_before_login(comptes):
    at = start()
    assert [t.value for t in at.title] == ["Tableau de bord d'impact"]
    assert len(at.metric) == 0
    assert len(at.sidebar.markdown) == 0 and len(at.sidebar.multiselect) == 0
    assert "_ctx" not in at.session_state
    text = page_text(at)
    assert "demo" not in text and str(ROOT) not in text
    assert [t.label for t in at.text_input] == ["Identifiant", "Mot de passe"]


def test_wrong_password_says_so_without_telling_which(comptes):
    at = log_in(start(), "claire", "pas le bon mot de passe")
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    at = log_in(start(), "inconnu", PASSWORD)
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    assert len(at.metric) == 0 and "_ctx" not in at.session_state
    events = [(e["evenement"], e["identifiant"]) for e in journal.last(5)]
    assert events[:2] == [("echec_connexion", "inconnu"), ("echec_connexion", "claire")]


def test_coordination_sees_every_page_unmasked(comptes):
    at = log_in(start(), "claire")
    ctx = at.session_state["_ctx"]
    assert ctx.role == "coordination" and not ctx.masked
    assert len(at.metric) > 0
    assert "Connecté : **claire** (coordination)" in [c.value for c in at.sidebar.caption]
    assert any(t.label == "Mode présentation" for t in at.sidebar.toggle)
    at.switch_page("pages/donnees.py").run()
    assert not at.exception
    assert "Données" in [t.value for t in at.title]
    assert journal.last(1)[0]["evenement"] == "connexion"


def test_lecture_is_always_masked_and_has_no_donnees_page(comptes):
    at = log_in(start(mode="presentation"), "elu")
    ctx = at.session_state["_ctx"]
    assert ctx.role == "lecture" and ctx.masked and not ctx.presentation
    assert not any(t.label == "Mode présentation" for t in at.sidebar.toggle)
    assert len(at.metric) > 0
    # Données is not among the registered pages at all (menu and address).
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("pages/donnees.py")
    # Méthodologie names no path of the server.
    at.switch_page("pages/methodologie.py").run()
    assert not at.exception
    assert str(ROOT) not in page_text(at) and "Dossier chargé" not in page_text(at)


def test_lecture_chooses_one_year_and_one_commune(comptes, demo_db):
    """Two selections of the read-only role, one inside the other, would give back by difference what the
    masking hides: it gets one year and one commune, no filter of structures (the collective minus every
    structure but one is that one). A link of the coordination with more opens on its first choice and says
    so."""
    at = log_in(
        start(communes=["Orée d'Anjou", "Sèvremoine"], periode="2023-2025", types=["ACI", "EI"]), "elu"
    )
    ctx = at.session_state["_ctx"]
    assert ctx.filtres == Filtres.annee(2025, communes=("49126",))
    assert not at.sidebar.multiselect  # one list of years, one of communes
    assert [s.label for s in at.sidebar.selectbox] == ["Année", "Communes nouvelles"]
    assert at.query_params["communes"] == "Orée d'Anjou" and at.query_params["periode"] == "2025"
    assert "types" not in at.query_params
    assert [t.value for t in at.toast] == [
        privacy.une_selection("2025, «\u00a0Orée d'Anjou\u00a0», toutes les structures")
    ]
    # Another year, from the one list of years; a page change keeps the choices.
    at.sidebar.selectbox(key="periode_annee").set_value(2023).run()
    at.switch_page("pages/structures.py").run()
    assert not at.exception
    assert at.session_state["_ctx"].filtres == Filtres.annee(2023, communes=("49126",))
    assert at.query_params["periode"] == "2023"
    # Every year at once is not offered: all of them minus the others would give one year back.
    options = at.sidebar.selectbox(key=sidebar.KEY_ANNEE).options
    assert [o[:4] for o in options] == [str(a) for a in listes.annees(demo_db)]
    # Clearing a list: every commune again, and the address forgets it.
    at.sidebar.selectbox(key="communes_un").set_value(None).run()
    assert at.session_state["_ctx"].filtres.communes is None and "communes" not in at.query_params
    # The Mémoire d'insertion (any set of communes and activities) is the coordination's.
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("pages/memoire.py")


def test_coordination_keeps_lists_of_several_choices(comptes):
    at = log_in(start(communes=["Orée d'Anjou", "Sèvremoine"], periode="2023-2025"), "claire")
    f = at.session_state["_ctx"].filtres
    assert f.communes == ("49126", "49301") and (f.annee_debut, f.annee_fin) == (2023, 2025)
    assert len(at.sidebar.multiselect) == 6 and not at.toast
    at.switch_page("pages/memoire.py").run()
    assert not at.exception


def test_logout_returns_to_the_form(comptes):
    at = log_in(start(), "claire")
    at.sidebar.button(key="deconnexion").click().run()
    assert len(at.metric) == 0 and "_ctx" not in at.session_state
    assert "Vous êtes déconnecté." in [i.value for i in at.info]
    assert journal.last(1)[0]["evenement"] == "deconnexion"


def test_session_ends_after_idle_time(comptes, monkeypatch):
    at = log_in(start(), "elu")
    monkeypatch.setenv("IMPACT_SESSION_MINUTES", "30")
    start_time = login._now()
    monkeypatch.setattr(login, "_now", lambda: start_time + 29 * 60)
    at.run()
    assert len(at.metric) > 0  # 29 minutes idle: still in, and the idle clock starts again
    monkeypatch.setattr(login, "_now", lambda: start_time + 29 * 60 + 31 * 60)
    at.run()
    assert len(at.metric) == 0
    assert "30 minutes sans activité" in at.info[0].value
    assert journal.last(1)[0]["evenement"] == "session_expiree"


def test_deep_link_filters_apply_after_login(comptes):
    at = start(periode=["2021", "2021"], types="EITI")
    assert len(at.metric) == 0
    at = log_in(at, "claire")
    assert at.session_state["_ctx"].filtres.annee_debut == 2021
    assert at.session_state["_ctx"].filtres.types == ("EITI",)
    assert "Période : 2021" in page_text(at)


def test_laptop_without_accounts_opens_as_coordination(monkeypatch, tmp_path, address):
    monkeypatch.setenv("IMPACT_COMPTES", str(tmp_path / "absent.toml"))
    address("127.0.0.1")
    at = start()
    assert at.session_state["_ctx"].role == "coordination"
    assert len(at.metric) > 0 and len(at.text_input) == 0


def test_network_server_without_accounts_shows_only_the_command(monkeypatch, tmp_path, address):
    monkeypatch.setenv("IMPACT_COMPTES", str(tmp_path / "absent.toml"))
    address("0.0.0.0")
    at = start()
    assert len(at.metric) == 0 and "_ctx" not in at.session_state
    assert [c.value for c in at.code] == [
        "python -m impact compte ajouter VOTRE_IDENTIFIANT --role coordination"
    ]


def test_damaged_accounts_file_opens_nothing(monkeypatch, tmp_path, address):
    file = tmp_path / "comptes.toml"
    file.write_text("[comptes\n", encoding="utf-8")
    monkeypatch.setenv("IMPACT_COMPTES", str(file))
    address("127.0.0.1")
    at = start()
    assert len(at.metric) == 0 and at.title[0].value == "Connexion impossible"


def test_lecture_filters_by_a_commune_chosen_on_the_map(comptes):
    """The Carte's list (and click) set the read-only role's one commune, as they set the coordination's list."""
    at = log_in(start(periode="2025"), "elu")
    at.switch_page("pages/carte.py").run()
    at.selectbox(key="carte_liste").select("Sèvremoine").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["_ctx"].filtres.communes == ("49301",)
    assert at.query_params["communes"] == "Sèvremoine"
