"""The Données page's import flow in a real browser, on a copy of the hand-made folder: drop a file → preview
→ "Importer" → the file is in place and in the history → "Annuler cet import" → the folder is as before."""

import pytest
from playwright.sync_api import Page, expect

from impact import importer
from tests.e2e.conftest import start_server
from tests.e2e.helpers import ARTEFACTS, assert_no_exception, goto, rerun_and_wait, screenshot, wait_for_run
from tests.fixtures import mini_folder
from tests.unit.test_importer import JUILLET, snapshot

MAIN = '[data-testid="stMain"]'
UPLOADER_INPUT = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture(scope="module")
def import_folder(tmp_path_factory):
    return mini_folder(tmp_path_factory.mktemp("import") / "donnees")


@pytest.fixture(scope="module")
def import_server(browser_required, tmp_path_factory, import_folder):
    log = ARTEFACTS / "e2e" / "streamlit_import.log"
    with start_server(tmp_path_factory.mktemp("etat_import"), log, data_dir=import_folder) as base:
        yield base


def test_drop_preview_import_history_undo(page: Page, import_server: str, import_folder, tmp_path):
    before = snapshot(import_folder)
    page.set_viewport_size({"width": 1280, "height": 720})
    goto(page, import_server, "donnees")
    assert_no_exception(page)
    main = page.locator(MAIN)
    expect(main.get_by_text("Aucun import enregistré pour ce dossier.")).to_be_visible()

    new = tmp_path / "heures_s1_juillet.csv"
    new.write_bytes(JUILLET)
    rerun_and_wait(page, lambda: page.locator(UPLOADER_INPUT).set_input_files(str(new)))
    wait_for_run(page)
    assert_no_exception(page)
    expect(main.get_by_text("Vérification réussie : voici ce que l'import changerait.")).to_be_visible()
    expect(
        main.get_by_text("Après l'import : 1 structure n'a pas encore transmis juillet 2024")
    ).to_be_visible()
    assert snapshot(import_folder) == before  # the preview wrote nothing
    main.get_by_text("Chiffres clés qui changent").scroll_into_view_if_needed()
    screenshot(page, "import_apercu")

    rerun_and_wait(page, page.get_by_role("button", name="Importer", exact=True).click)
    wait_for_run(page)
    assert_no_exception(page)
    expect(main.get_by_text("appliqué : 1 fichier")).to_be_visible()
    assert (import_folder / "heures_s1_juillet.csv").read_bytes() == JUILLET
    [entry] = importer.historique(import_folder)
    # The dashboard now serves the new set: July is provisional (S3 has not sent it), "données au" stays.
    header = main.get_by_text("1 structure n'a pas encore transmis juillet 2024 : chiffres provisoires")
    expect(header).to_be_visible()
    expect(main.get_by_text(f"{entry['id']} — Import du")).to_be_visible()
    main.get_by_role("heading", name="Données").scroll_into_view_if_needed()
    screenshot(page, "import_entete")
    main.get_by_text(f"{entry['id']} — Import du").scroll_into_view_if_needed()
    screenshot(page, "import_historique")

    rerun_and_wait(page, page.get_by_role("button", name="Annuler cet import").click)
    wait_for_run(page)
    expect(
        main.get_by_text("L'annulation remettrait exactement les fichiers d'avant cet import")
    ).to_be_visible()
    assert snapshot(import_folder) != before  # nothing undone before the confirmation
    rerun_and_wait(page, page.get_by_role("button", name="Confirmer l'annulation").click)
    wait_for_run(page)
    assert_no_exception(page)
    expect(main.get_by_text(f"Import {entry['id']} annulé")).to_be_visible()
    assert snapshot(import_folder) == before
    expect(main.get_by_text("annulé par")).to_be_visible()
    expect(page.get_by_role("button", name="Annuler cet import")).to_have_count(0)
    main.get_by_text("annulé par").scroll_into_view_if_needed()
    screenshot(page, "import_annule")


def test_unticking_then_ticking_pseudonymisation_gives_the_preview_back(
    page: Page, import_server: str, tmp_path
):
    """A file with names: ticked, a preview; unticked, refused; ticked again, the preview again (it raised
    KeyError: the refusal forgot the preview but not what it was computed for)."""
    page.set_viewport_size({"width": 1280, "height": 720})
    goto(page, import_server, "donnees")
    named = tmp_path / "heures_s1_noms.csv"
    named.write_bytes(
        "Nom;Prénom;Date de naissance;mois;structure_id;heures_travaillees\r\n"
        "Lefèvre;Élodie;12/03/1990;07/2024;S1;10\r\n".encode()
    )
    rerun_and_wait(page, lambda: page.locator(UPLOADER_INPUT).set_input_files(str(named)))
    wait_for_run(page)
    main = page.locator(MAIN)
    box = main.get_by_text("Pseudonymiser ces fichiers avant l'import")
    preview = main.get_by_role("heading", name="Aperçu de l'import")
    expect(preview).to_be_visible()
    rerun_and_wait(page, box.click)
    wait_for_run(page)
    expect(main.get_by_text("Import refusé, rien n'a été importé ni copié")).to_be_visible()
    expect(preview).to_have_count(0)
    rerun_and_wait(page, box.click)
    wait_for_run(page)
    assert_no_exception(page)
    expect(preview).to_be_visible()


def test_a_file_replacing_one_in_place_with_fewer_months_is_announced(
    page: Page, import_server: str, tmp_path
):
    """heures_s1.csv dropped with July only: it would replace the file in place, and its earlier months with it.
    The preview says so before « Importer », with the number of lines and the months they cover."""
    page.set_viewport_size({"width": 1280, "height": 720})
    goto(page, import_server, "donnees")
    same_name = tmp_path / "heures_s1.csv"
    same_name.write_bytes(JUILLET)
    rerun_and_wait(page, lambda: page.locator(UPLOADER_INPUT).set_input_files(str(same_name)))
    wait_for_run(page)
    assert_no_exception(page)
    main = page.locator(MAIN)
    expect(main.get_by_text("table « heures », S1 : 15 lignes sur déc. 2023 – juin 2024")).to_be_visible()
    expect(main.get_by_text("le remplace entièrement")).to_be_visible()
    main.get_by_text("le remplace entièrement").scroll_into_view_if_needed()
    screenshot(page, "import_remplacement")
