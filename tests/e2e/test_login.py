"""Accounts in a real browser: the login gate shows nothing before login, a wrong password, each role's
pages and downloads, logout, a deep link after login, and a server open on the network without accounts."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from impact import ROOT, accounts, login
from tests.e2e.conftest import ARTEFACTS, start_server
from tests.e2e.helpers import (
    RUN_TIMEOUT_MS,
    assert_no_exception,
    goto,
    menu_link,
    menu_titles,
    rerun_and_wait,
    screenshot,
    wait_for_run,
)

# The tests on one worker (`--dist loadgroup`): one server with accounts for the module.
pytestmark = pytest.mark.xdist_group("comptes")
PASSWORD = "un mot de passe assez long"
SIDEBAR = '[data-testid="stSidebar"]'
METRIC = '[data-testid="stMetric"]'


@pytest.fixture(scope="module")
def secured(browser_required, tmp_path_factory):
    """A fresh server with an accounts file: claire (coordination) and elu (lecture)."""
    base = tmp_path_factory.mktemp("comptes")
    file = base / "comptes.toml"
    accounts.add("claire", "coordination", PASSWORD, file)
    accounts.add("elu", "lecture", PASSWORD, file)
    with start_server(
        base / "etat", ARTEFACTS / "e2e" / "streamlit_comptes.log", env={"IMPACT_COMPTES": str(file)}
    ) as url:
        yield url


def log_in(page: Page, identifiant: str, password: str = PASSWORD) -> None:
    page.get_by_label("Identifiant").fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    rerun_and_wait(page, lambda: page.get_by_role("button", name="Se connecter").click())
    if password == PASSWORD and identifiant in ("claire", "elu"):
        # A login reruns the script once more (st.rerun): wait for the dashboard itself.
        expect(page.locator(SIDEBAR).get_by_text("Connecté :")).to_be_visible(timeout=RUN_TIMEOUT_MS)
        wait_for_run(page)


def assert_gate_shows_nothing(page: Page) -> None:
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.locator(METRIC)).to_have_count(0)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
    expect(page.locator(SIDEBAR)).not_to_be_visible()
    text = page.locator('[data-testid="stApp"]').inner_text()
    for leak in (str(ROOT), "data/demo", "Données au", "démonstration", "Période", "Vue d'ensemble"):
        assert leak not in text, leak


def downloaded_csv(page: Page, button_index: int = 0) -> pd.DataFrame:
    buttons = page.get_by_role("button", name="Télécharger le tableau (CSV pour Excel)")
    with page.expect_download() as info:
        buttons.nth(button_index).click()
    data = Path(info.value.path()).read_bytes()
    return pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str)


def test_deep_link_filters_apply_after_login(page, secured):
    """First request of a fresh server, straight to a page with filters: login first, then that page with
    those filters."""
    goto(page, secured, "heures", {"periode": ["2021", "2021"]})
    assert_gate_shows_nothing(page)
    log_in(page, "claire")
    expect(page.locator("h1").first).to_have_text("Heures et activités")
    expect(page.get_by_text("Période : 2021").first).to_be_visible()
    assert "periode=2021" in page.url
    assert_no_exception(page)


def test_gate_wrong_password_coordination_and_logout(page, secured):
    page.set_viewport_size({"width": 1280, "height": 720})
    goto(page, secured)
    assert_gate_shows_nothing(page)
    screenshot(page, "connexion")
    log_in(page, "claire", "pas le bon mot de passe")
    expect(page.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
    assert_gate_shows_nothing(page)
    log_in(page, "personne", PASSWORD)
    expect(page.get_by_text("Identifiant ou mot de passe incorrect.")).to_be_visible()
    assert_gate_shows_nothing(page)

    log_in(page, "claire")
    expect(page.locator(METRIC).first).to_be_visible()
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text("Connecté : claire (coordination)")).to_be_visible()
    assert menu_titles(page, "Référence") == ["Méthodologie", "Données"]
    expect(sidebar.get_by_text("Mode présentation")).to_be_visible()
    rerun_and_wait(page, lambda: menu_link(page, "Données").click())
    expect(page.get_by_text("Journal des connexions et des imports")).to_be_visible()
    expect(page.locator('[role="gridcell"]', has_text="échec de connexion").first).to_be_attached()
    expect(page.locator("h1").first).to_have_text("Données")
    assert_no_exception(page)

    # Presentation mode hides the sidebar: "Se déconnecter" stays on the page.
    rerun_and_wait(page, lambda: sidebar.get_by_text("Mode présentation").click())
    expect(page.locator(SIDEBAR)).not_to_be_visible()
    rerun_and_wait(page, lambda: page.get_by_role("button", name="Se déconnecter").click())
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    assert_gate_shows_nothing(page)


def test_lecture_masked_without_donnees(page, secured):
    page.set_viewport_size({"width": 1280, "height": 720})
    query = {"periode": ["2025", "2025"], "communes": "Orée d'Anjou"}
    goto(page, secured, "sorties", query)
    log_in(page, "elu")
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text("Connecté : elu (lecture seule)")).to_be_visible()
    assert menu_titles(page, "Référence") == ["Méthodologie"]  # no Données
    assert "Mémoire d'insertion" not in menu_titles(page, "Réunions et bilans")
    expect(sidebar.get_by_text("Mode présentation")).to_have_count(0)
    expect(page.get_by_text("masqué").first).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "lecture_sorties")
    # Orée d'Anjou's few exits: its tables of exits left out (privacy.RETIRE), the key figures stay.
    expect(page.get_by_text("Détails non affichés : les sorties par catégorie").first).to_be_visible()
    # A link of the coordination with two communes and three years: one of each (privacy.UNE_SELECTION).
    goto(page, secured, "structures", {"periode": "2023-2025", "communes": ["Orée d'Anjou", "Sèvremoine"]})
    log_in(page, "elu")
    expect(page.get_by_text("Période : 2025 · Communes : Orée d'Anjou").first).to_be_visible()
    expect(page.get_by_text("Lecture seule, une année et une commune : affichage de 2025")).to_be_visible()
    assert_no_exception(page)
    # The Bilan's publics: "< 5" where the coordination reads the count (its second CSV table).
    goto(page, secured, "bilan", {"periode": ["2025", "2025"]})
    log_in(page, "elu")
    expect(page.get_by_text("< 5").first).to_be_visible()
    lecture_csv = downloaded_csv(page, 1)

    # The read-only role cannot reach Données by its address either (a new address is a new session: log
    # in again).
    goto(page, secured, "donnees")
    log_in(page, "elu")
    expect(page.locator(METRIC).first).to_be_visible()  # the default page instead
    screenshot(page, "lecture_adresse_donnees")
    expect(page.get_by_text("Journal des connexions et des imports")).to_have_count(0)
    expect(page.get_by_text("Importer de nouveaux exports")).to_have_count(0)
    assert str(ROOT) not in page.locator('[data-testid="stApp"]').inner_text()

    rerun_and_wait(page, lambda: menu_link(page, "Méthodologie").click())
    expect(page.locator("h1").first).to_have_text("Méthodologie")
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert str(ROOT) not in text and "Dossier chargé" not in text
    rerun_and_wait(page, lambda: page.locator(SIDEBAR).get_by_role("button", name="Se déconnecter").click())
    assert_gate_shows_nothing(page)

    # The same table downloaded by the coordination shows the small counts the read-only role gets masked.
    goto(page, secured, "bilan", {"periode": ["2025", "2025"]})
    log_in(page, "claire")
    coordination_csv = downloaded_csv(page, 1)
    assert lecture_csv.shape == coordination_csv.shape
    masked = lecture_csv.eq("< 5")
    assert masked.any().any()
    shown = (
        coordination_csv[masked].stack().dropna().map(lambda v: int(v.replace("\u202f", "").replace(" ", "")))
    )
    assert shown.between(1, 4).any() and shown.between(0, 4).all()


def test_network_server_without_accounts_shows_only_the_command(page, tmp_path):
    """Bound to every interface (the test still connects to 127.0.0.1 only) with no accounts file."""
    env = {"IMPACT_COMPTES": str(tmp_path / "absent.toml")}
    log = ARTEFACTS / "e2e" / "streamlit_reseau.log"
    with start_server(tmp_path / "etat", log, env=env, address="0.0.0.0") as url:
        goto(page, url)
        expect(
            page.get_by_text("python -m impact compte ajouter VOTRE_IDENTIFIANT --role coordination")
        ).to_be_visible()
        expect(page.locator(METRIC)).to_have_count(0)
        expect(page.locator(SIDEBAR)).not_to_be_visible()
        text = page.locator('[data-testid="stApp"]').inner_text()
        assert str(ROOT) not in text and "Données au" not in text
        screenshot(page, "reseau_sans_compte")
        goto(page, url, "sorties", {"periode": ["2025", "2025"]})
        expect(page.locator(METRIC)).to_have_count(0)
        expect(page.locator(SIDEBAR)).not_to_be_visible()
        expect(
            page.get_by_text("python -m impact compte ajouter VOTRE_IDENTIFIANT --role coordination")
        ).to_be_visible()


def test_laptop_behind_a_reverse_proxy_without_accounts_is_not_open(page, server):
    """Bound to 127.0.0.1 but reached through a proxy (forwarding headers): a network server, no figure."""
    goto(page, server)
    expect(page.locator(METRIC).first).to_be_visible()  # the laptop: coordination, no login
    page.set_extra_http_headers({"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"})
    goto(page, server)
    expect(page.get_by_text(login.FIRST_ACCOUNT_COMMAND)).to_be_visible()
    expect(page.locator(METRIC)).to_have_count(0)
