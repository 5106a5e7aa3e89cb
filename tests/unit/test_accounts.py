"""Accounts (Argon2id hashes, roles, the TOML file), the slow-down of failures, the journal, and the
`python -m impact compte` command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

from impact import ROOT, accounts, journal
from impact.__main__ import main

PASSWORD = "correct horse battery"


@pytest.fixture
def file(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPACT_STATE", str(tmp_path / "etat"))
    monkeypatch.delenv("IMPACT_COMPTES", raising=False)
    return tmp_path / "etat" / "comptes.toml"


def test_default_file_is_in_the_state_folder_and_env_overrides(file, monkeypatch, tmp_path):
    assert accounts.path() == file
    monkeypatch.setenv("IMPACT_COMPTES", str(tmp_path / "ailleurs.toml"))
    assert accounts.path() == tmp_path / "ailleurs.toml"


def test_hash_verify_role_and_wrong_password(file):
    assert accounts.add("claire", "coordination", PASSWORD) is True
    accounts.add("elu@mairie.fr", "lecture", PASSWORD + "!")
    assert accounts.verify("claire", PASSWORD) == "coordination"
    assert accounts.verify("elu@mairie.fr", PASSWORD + "!") == "lecture"
    assert accounts.verify("claire", PASSWORD + "!") is None
    assert accounts.verify("claire", "") is None
    assert accounts.verify("inconnu", PASSWORD) is None
    raw = file.read_text(encoding="utf-8")
    assert PASSWORD not in raw
    data = tomllib.loads(raw)
    assert data["comptes"]["claire"]["hash"].startswith("$argon2id$")
    assert data["comptes"]["claire"]["role"] == "coordination"
    assert oct(file.stat().st_mode & 0o777) == "0o600"


def test_file_round_trip_replace_and_remove(file):
    accounts.add("claire", "coordination", PASSWORD)
    first = accounts.load()["claire"]
    assert accounts.add("claire", "lecture", "un autre mot de passe") is False  # replaced, not duplicated
    again = accounts.load()
    assert list(again) == ["claire"]
    assert again["claire"].role == "lecture" and again["claire"].cree_le == first.cree_le
    assert again["claire"].hash != first.hash
    assert accounts.verify("claire", PASSWORD) is None
    # Nothing is overwritten without a copy: the previous file stays beside it.
    prev = tomllib.loads(file.with_name("comptes.toml.precedent").read_text(encoding="utf-8"))
    assert prev["comptes"]["claire"]["role"] == "coordination"
    accounts.remove("claire")
    assert accounts.load() == {}
    with pytest.raises(accounts.AccountError, match="aucun compte"):
        accounts.remove("claire")


@pytest.mark.parametrize(
    ("ident", "role", "password", "message"),
    [
        ("claire", "admin", PASSWORD, "rôle inconnu"),
        ("claire", "lecture", "court", "trop court"),
        ("Clé Ä", "lecture", PASSWORD, "identifiant invalide"),
        ("", "lecture", PASSWORD, "identifiant invalide"),
    ],
)
def test_bad_input_is_refused_in_french(file, ident, role, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add(ident, role, password)
    assert not file.exists()


def test_throttle_slows_down_repeated_failures_per_key():
    now = [1000.0]
    t = accounts.Throttle(clock=lambda: now[0])
    for _ in range(accounts.Throttle.FREE):
        assert t.wait("identifiant:claire", "client:1.2.3.4") == 0
        t.failure("identifiant:claire", "client:1.2.3.4")
    assert t.wait("identifiant:claire") == 2.0  # 4th attempt waits 2 s
    assert t.wait("client:1.2.3.4") == 2.0
    assert t.wait("identifiant:autre", "client:5.6.7.8") == 0  # other keys are free
    assert t.wait("identifiant:autre", "client:1.2.3.4") == 2.0  # same client, other identifier: waits
    now[0] += 2.0
    assert t.wait("identifiant:claire") == 0
    t.failure("identifiant:claire")
    assert t.wait("identifiant:claire") == 4.0  # doubles
    for _ in range(20):
        t.failure("identifiant:claire")
    assert t.wait("identifiant:claire") == accounts.Throttle.MAX_DELAY
    t.success("identifiant:claire")
    assert t.wait("identifiant:claire") == 0


def test_journal_records_only_known_events_and_details(file):
    journal.record("connexion", "claire", role="coordination")
    journal.record("import", "claire", resultat="applique", fichiers=2)
    with pytest.raises(ValueError):
        journal.record("autre", "claire")
    with pytest.raises(ValueError):
        journal.record("connexion", "claire", heures=4500)  # no figure reaches the journal
    entries = journal.last(10)
    assert [e["evenement"] for e in entries] == ["import", "connexion"]
    assert set(entries[0]) == {"quand", "evenement", "identifiant", "resultat", "fichiers"}
    table = journal.table(entries)
    assert list(table["événement"]) == ["import de fichiers", "connexion"]
    assert list(table["détail"]) == ["appliqué, 2 fichiers", "rôle coordination"]
    assert table["quand"][0].count("/") == 2  # French date
    journal.record("import", "claire", resultat="annule", fichiers=1)  # an undo reads as French too
    assert journal.table(journal.last(1))["détail"].tolist() == ["annulé, 1 fichier"]


def test_journal_last_skips_a_damaged_line(file):
    journal.record("connexion", "a")
    with journal.path().open("a", encoding="utf-8") as f:
        f.write("{pas du json\n")
    journal.record("deconnexion", "a")
    assert [e["evenement"] for e in journal.last(5)] == ["deconnexion", "connexion"]
    assert len(journal.last(1)) == 1


def test_cli_with_password_on_stdin(file, monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["compte", "ajouter", "elu", "--role", "lecture"]) == 0
    assert "Compte elu créé (lecture)" in capsys.readouterr().out
    assert accounts.verify("elu", PASSWORD) == "lecture"
    assert main(["compte", "lister"]) == 0
    listing = capsys.readouterr().out
    assert "elu" in listing and "lecture" in listing and "argon2" not in listing
    monkeypatch.setattr(sys, "stdin", io.StringIO("court\n"))
    assert main(["compte", "ajouter", "autre", "--role", "lecture"]) == 1
    assert "trop court" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["compte", "ajouter", "autre", "--role", "chef"]) == 1
    assert "rôle inconnu" in capsys.readouterr().err
    assert main(["compte", "supprimer", "elu"]) == 0
    assert main(["compte", "supprimer", "elu"]) == 1
    assert [(e["evenement"], e["identifiant"]) for e in journal.last(5)] == [
        ("compte_supprime", "elu"),
        ("compte_ajoute", "elu"),
    ]
    line = journal.path().read_text(encoding="utf-8").splitlines()[0]
    assert PASSWORD not in line and json.loads(line)["role"] == "lecture"


def test_cli_as_a_process(tmp_path):
    """The real command, password piped on stdin, with IMPACT_COMPTES naming the file."""
    target = tmp_path / "comptes.toml"
    env = {**os.environ, "IMPACT_COMPTES": str(target), "IMPACT_STATE": str(tmp_path / "etat")}
    done = subprocess.run(
        [sys.executable, "-m", "impact", "compte", "ajouter", "claire", "--role", "coordination"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert accounts.verify("claire", PASSWORD, target) == "coordination"
