"""Tests of the demo data generator (impact/demo.py): determinism, the story's orders of magnitude, consistency."""

import csv
import io
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from impact import DEMO_DIR, REFERENCE_DIR
from impact.demo import generate

IAE = {"ACI", "AI", "EI", "ETTI", "EITI"}


def read_table(folder: Path, table: str, excel: bool = True) -> list[dict[str, str]]:
    """Union of `<table>.csv` and `<table>_*.csv`; demo files must be in the French Excel style."""
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob(f"{table}*.csv")):
        if path.stem != table and not path.stem.startswith(f"{table}_"):
            continue
        raw = path.read_bytes()
        if not excel:
            rows += list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
            continue
        assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: BOM UTF-8 attendu"
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), (
            f"{path.name}: fins de ligne CRLF attendues"
        )
        rows += list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    return rows


def num(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(",", ".")) if text else 0.0


def month_index(mois: str) -> int:
    mm, yyyy = mois.split("/")
    return int(yyyy) * 12 + int(mm) - 1


def parse_date(text: str) -> date:
    d, m, y = text.split("/")
    return date(int(y), int(m), int(d))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=2026)
    return out


@pytest.fixture(scope="module")
def tables(fresh) -> dict[str, list[dict[str, str]]]:
    names = ("structures", "marches", "interventions", "parcours", "heures", "chiffre_affaires", "jalons")
    return {t: read_table(fresh, t) for t in names}


def test_committed_demo_equals_a_fresh_generation(fresh):
    committed = sorted(p.name for p in DEMO_DIR.iterdir())
    generated = sorted(p.name for p in fresh.iterdir())
    assert committed == generated
    for name in generated:
        assert (DEMO_DIR / name).read_bytes() == (fresh / name).read_bytes(), (
            f"{name} differs: regenerate data/demo"
        )


def test_same_seed_same_bytes_other_seed_other_data(tmp_path, fresh):
    generate(tmp_path / "again", seed=2026)
    generate(tmp_path / "other", seed=7)
    assert (tmp_path / "again" / "heures_alise_ai.csv").read_bytes() == (
        fresh / "heures_alise_ai.csv"
    ).read_bytes()
    assert (tmp_path / "other" / "heures_alise_ai.csv").read_bytes() != (
        fresh / "heures_alise_ai.csv"
    ).read_bytes()


def test_one_file_per_structure_for_parcours_and_heures(fresh, tables):
    ids = {s["structure_id"] for s in tables["structures"]}
    parcours_files = {p.stem.removeprefix("parcours_") for p in fresh.glob("parcours_*.csv")}
    assert parcours_files == {i.lower() for i in ids}
    types = {s["structure_id"]: s["type"] for s in tables["structures"]}
    heures_files = {p.stem.removeprefix("heures_") for p in fresh.glob("heures_*.csv")}
    # Centres sociaux and missions locales accompany people, they do not employ them: no hours.
    assert heures_files == {i.lower() for i in ids if types[i] not in ("CS", "ML")}


def test_structures_cover_the_types_and_alise_is_an_ensemblier(tables):
    structures = tables["structures"]
    assert 12 <= len(structures) <= 16
    types = {s["type"] for s in structures}
    assert {"ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "EA", "ESAT", "CS", "ML"} <= types
    alise = {s["type"] for s in structures if s["nom"].startswith("Alise")}
    assert "ACI" in alise and alise & {"AI", "ETTI"}
    assert all(len(s["siret"]) == 14 and s["siret"].isdigit() for s in structures)


def test_references_codes_and_values_follow_the_contract(tables):
    communes = {r["code_insee"] for r in read_table(REFERENCE_DIR, "communes", excel=False)}
    with (REFERENCE_DIR / "motifs_sortie.csv").open(encoding="utf-8-sig") as f:
        motifs = {r["code"] for r in csv.DictReader(f, delimiter=";")}
    structures = {s["structure_id"] for s in tables["structures"]}
    marches = {m["marche_id"] for m in tables["marches"]}
    interventions = {i["intervention_id"] for i in tables["interventions"]}
    assert {s["commune_insee"] for s in tables["structures"]} <= communes
    assert {m["secteur"] for m in tables["marches"]} <= {"public", "prive"}
    for i in tables["interventions"]:
        assert i["structure_id"] in structures and i["commune_insee"] in communes
        assert i["marche_id"] == "" or i["marche_id"] in marches
        assert (i["latitude"] == "") == (i["longitude"] == "")
    for p in tables["parcours"]:
        assert p["structure_id"] in structures and p["commune_residence_insee"] in communes
        assert p["sexe"] in ("F", "H") and p["personne_id"].startswith("P")
        if p["date_sortie"]:
            assert parse_date(p["date_sortie"]) >= parse_date(p["date_entree"])
            assert p["motif_sortie"] in motifs
            assert parse_date(p["date_sortie"]) <= date(2026, 9, 30)
        else:
            assert p["motif_sortie"] == ""
    for h in tables["heures"]:
        assert h["structure_id"] in structures
        assert h["intervention_id"] == "" or h["intervention_id"] in interventions
        assert 0 <= num(h["heures_travaillees"]) <= 744
    for c in tables["chiffre_affaires"]:
        assert c["structure_id"] in structures and (c["marche_id"] == "" or c["marche_id"] in marches)
    assert len({p["parcours_id"] for p in tables["parcours"]}) == len(tables["parcours"])


def test_hours_fall_inside_a_path_of_the_person_in_the_structure(tables):
    spans = defaultdict(list)
    for p in tables["parcours"]:
        start = parse_date(p["date_entree"])
        end = parse_date(p["date_sortie"]) if p["date_sortie"] else date(2026, 9, 30)
        spans[(p["personne_id"], p["structure_id"])].append(
            (start.year * 12 + start.month - 1, end.year * 12 + end.month - 1)
        )
    months = set()
    for h in tables["heures"]:
        m = month_index(h["mois"])
        months.add(m)
        assert any(a <= m <= b for a, b in spans[(h["personne_id"], h["structure_id"])]), h
    assert min(months) == 2019 * 12 and max(months) == 2026 * 12 + 8  # 01/2019 to 09/2026, nothing after


def _hours_by_contract(tables) -> dict[str, list[tuple[int, str, float]]]:
    contract_of = {i["intervention_id"]: i["marche_id"] for i in tables["interventions"]}
    out = defaultdict(list)
    for h in tables["heures"]:
        mid = contract_of.get(h["intervention_id"], "")
        out[mid].append((int(h["mois"][3:]), h["personne_id"], num(h["heures_travaillees"])))
    return out


def test_veolia_meter_campaigns_match_the_seed(tables):
    by_contract = _hours_by_contract(tables)
    meter = [r for mid, rows in by_contract.items() if mid.startswith("VEOLIA_RELEVES_") for r in rows]
    first_two_years = [r for r in meter if r[0] in (2020, 2021)]
    assert 3500 <= sum(h for _, _, h in first_two_years) <= 5500  # "4 500 heures entre 2020 et 2021"
    assert 12 <= len({p for _, p, h in first_two_years if h >= 1}) <= 18  # "une quinzaine de salariés"
    intervention_struct = {i["intervention_id"]: i["structure_id"] for i in tables["interventions"]}
    meter_structs = {
        intervention_struct[i["intervention_id"]]
        for i in tables["interventions"]
        if i["marche_id"] == "VEOLIA_RELEVES_2020"
    }
    assert len(meter_structs) == 5  # "cinq SIAE"
    revenue = defaultdict(float)
    for c in tables["chiffre_affaires"]:
        if c["marche_id"].startswith("VEOLIA_RELEVES_"):
            revenue[int(c["annee"])] += num(c["montant_ht"])
    for year in (2021, 2022, 2023, 2024, 2025):
        assert 80_000 <= revenue[year] <= 120_000  # "100 000 euros de CA annuel"
    choletais = sum(h for _, _, h in by_contract["VEOLIA_CHOLETAIS"])
    assert 1400 <= choletais <= 2200  # "1 800 heures"
    cholet_agglo = {
        r["code_insee"]
        for r in read_table(REFERENCE_DIR, "communes", excel=False)
        if r["epci"] == "Cholet Agglomération"
    }
    assert all(
        i["commune_insee"] in cholet_agglo
        for i in tables["interventions"]
        if i["marche_id"] == "VEOLIA_CHOLETAIS"
    )


def test_clause_contracts_deliver_their_planned_hours(tables):
    by_contract = _hours_by_contract(tables)
    for m in tables["marches"]:
        if m["heures_insertion_prevues"]:
            delivered = sum(h for _, _, h in by_contract[m["marche_id"]])
            assert 0.8 <= delivered / num(m["heures_insertion_prevues"]) <= 1.25, m["marche_id"]
    clause = [m for m in tables["marches"] if m["donneur_ordre"] == "Mauges Communauté"]
    assert {m["dispositif"] for m in clause} >= {"clause_execution"}
    assert any(m["date_debut"] == "01/01/2022" and m["date_fin"] == "31/12/2025" for m in clause)


def test_people_exits_and_publics_are_plausible(tables):
    types = {s["structure_id"]: s["type"] for s in tables["structures"]}
    people = defaultdict(set)
    for h in tables["heures"]:
        if num(h["heures_travaillees"]) >= 1:
            people[int(h["mois"][3:])].add(h["personne_id"])
    for year in range(2019, 2026):
        assert 250 <= len(people[year]) <= 400, year
    with (REFERENCE_DIR / "motifs_sortie.csv").open(encoding="utf-8-sig") as f:
        category = {r["code"]: r["categorie"] for r in csv.DictReader(f, delimiter=";")}
    exits = [
        category[p["motif_sortie"]]
        for p in tables["parcours"]
        if p["date_sortie"] and types[p["structure_id"]] in IAE
    ]
    counted = [c for c in exits if c != "retrait"]
    dynamic = sum(c in ("emploi_durable", "emploi_transition", "sortie_positive") for c in counted) / len(
        counted
    )
    assert 0.5 <= dynamic <= 0.7
    assert any(not p["date_sortie"] for p in tables["parcours"])  # paths still open at 30/09/2026
    employed = {pid for ids in people.values() for pid in ids}
    sexe = {p["personne_id"]: p["sexe"] for p in tables["parcours"]}
    women = sum(sexe[p] == "F" for p in employed) / len(employed)
    assert 0.33 <= women <= 0.47
    rqth_ea = [p["rqth"] == "oui" for p in tables["parcours"] if types[p["structure_id"]] in ("EA", "ESAT")]
    assert sum(rqth_ea) / len(rqth_ea) > 0.9


def test_scale_multiplies_structures_and_hours(tmp_path, tables):
    generate(tmp_path, seed=2026, scale=2)
    structures = read_table(tmp_path, "structures")
    assert len(structures) == 2 * len(tables["structures"])
    assert len({s["structure_id"] for s in structures}) == len(structures)
    hours_1 = sum(num(h["heures_travaillees"]) for h in tables["heures"])
    hours_2 = sum(num(h["heures_travaillees"]) for h in read_table(tmp_path, "heures"))
    assert 1.8 <= hours_2 / hours_1 <= 2.2
    # The first copy is the scale-1 collective itself.
    assert (tmp_path / "heures_alise_aci.csv").read_bytes() == (
        DEMO_DIR / "heures_alise_aci.csv"
    ).read_bytes()


def test_refuses_to_overwrite_a_folder_of_real_data(tmp_path):
    (tmp_path / "parcours.csv").write_text("parcours_id\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate(tmp_path, seed=2026)
    assert (tmp_path / "parcours.csv").exists()


def test_v11_tables_tell_the_training_and_follow_up_story(fresh):
    """Contract v1.1 demo tables: meter readers trained in three domains in 2020, a few Titres professionnels
    Canalisateur, supervisors for the workshops, a few hires by the partner in the follow-up."""
    parcours = {r["parcours_id"]: r for r in read_table(fresh, "parcours")}
    forms = read_table(fresh, "formations")
    assert all(f["parcours_id"] in parcours for f in forms)
    meter_2020 = [
        f for f in forms if f["organisme"].startswith("Veolia") and f["date_debut"].endswith("/2020")
    ]
    assert {f["domaine"] for f in meter_2020} == {"technique", "numerique", "savoir_etre"}
    readers = {f["parcours_id"] for f in meter_2020}
    assert 8 <= len(readers) <= 15  # the first campaign: about 15 employees, 12 of them new
    assert sum(num(f["heures"]) for f in meter_2020) == 35 * len(readers)
    canalisateurs = [f for f in forms if f["intitule"] == "Titre professionnel Canalisateur"]
    assert 3 <= len(canalisateurs) <= 15 and all(f["certifiante"] == "oui" for f in canalisateurs)
    suivis = read_table(fresh, "suivis")
    assert all(parcours[s["parcours_id"]]["date_sortie"] for s in suivis)
    assert all(
        parse_date(s["date_suivi"]) > parse_date(parcours[s["parcours_id"]]["date_sortie"]) for s in suivis
    )
    partner = [s for s in suivis if s["employeur_partenaire"] == "oui"]
    assert 1 <= len(partner) <= 20
    enc = read_table(fresh, "encadrement")
    aci_2024 = [e for e in enc if e["annee"] == "2024" and e["structure_id"] == "ALISE_ACI"]
    assert len(aci_2024) == 1 and num(aci_2024[0]["etp_encadrement_technique"]) > 0
