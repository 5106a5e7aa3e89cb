"""The "Mémoire d'insertion" page on the demo data: it previews the document's figures (those of kpis for the
chosen year), offers the Word and PDF downloads, and masks small counts."""

from impact import fmt, privacy
from impact.filters import Filtres
from impact.indicators import bilan, kpis
from tests.app.conftest import metric_values, normalize, run_app


def test_page_previews_the_results_of_kpis(demo_db):
    at = run_app(page="memoire.py")
    annee = bilan.annee_par_defaut(demo_db)
    k = kpis(demo_db, Filtres.annee(annee))
    m = {label: normalize(v) for label, v in metric_values(at).items()}
    assert m[f"Heures travaillées en {annee}"] == normalize(fmt.hours(k["heures_travaillees"]))
    assert m["Sorties examinées"] == fmt.integer(k["sorties_examinees"])
    assert m["Taux de sortie dynamique"] == normalize(fmt.percent(k["taux_sortie_dynamique"]))
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Télécharger le mémoire (Word, modifiable)" in labels and "Télécharger le mémoire (PDF)" in labels
    titles = [s.value for s in at.subheader]
    assert titles[0].startswith("1. Le collectif") and titles[-1] == "8. Méthode et sources"


def test_territory_and_activity_choice_and_masking(demo_db):
    at = run_app(page="memoire.py")
    at.multiselect(key="memoire_communes").set_value(["49126"]).run()
    at.multiselect(key="memoire_activites").set_value(["Relevé de compteurs d'eau"]).run()
    assert not at.exception
    text = " ".join(normalize(x.value) for x in at.markdown) + " ".join(normalize(x.value) for x in at.info)
    assert "Orée d'Anjou" in text
    # A single commune: some counts of residents are small, and they read "< 5".
    assert at.table and not at.dataframe  # printed plain, as in the documents
    cells = [str(v) for df in at.table for col in df.value.columns for v in df.value[col]]
    assert privacy.MASQUE in cells or privacy.MASQUE in text


def test_offre_page_lists_the_offer(demo_db):
    from impact.indicators import offre

    at = run_app(page="offre.py")
    df = offre.offre(demo_db)
    shown = at.dataframe[0].value
    assert list(shown["activité"]) == list(df["activite"])
    # the names of the communes, without the hours the header of Structures announces
    assert list(shown["communes d'intervention"]) == list(df["communes"])
    assert "Télécharger l'offre de service (PDF)" in [b.proto.label for b in at.get("download_button")]


def test_fiche_structure_page(demo_db):
    from impact.indicators import fiche_structure

    at = run_app(page="fiche_structure.py")
    annee = bilan.annee_par_defaut(demo_db)
    sid = at.selectbox(key="fiche_structure_id").value
    f = fiche_structure.fiche(demo_db, sid, annee)
    assert at.header[0].value == f"{f.identite['nom']} — fiche d'identité {annee}"
    assert "Télécharger la fiche (PDF)" in [b.proto.label for b in at.get("download_button")]
    at.selectbox(key="fiche_structure_id").set_value("EA_MOINE").run()
    assert not at.exception
    assert at.header[0].value.startswith("Atelier adapté de la Moine")
