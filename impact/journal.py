"""The journal: who logged in, failed, logged out, imported files or changed an account, and when.

JSON lines in the state folder (journal.jsonl). An entry holds a time, an event, an identifier and a few
words of detail chosen here — never a figure of the data nor a personal datum of the people counted.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from datetime import datetime
from pathlib import Path

import pandas as pd

from impact import fmt
from impact.state import state_dir

EVENTS = {
    "connexion": "connexion",
    "echec_connexion": "échec de connexion",
    "deconnexion": "déconnexion",
    "session_expiree": "session expirée (inactivité)",
    "import": "import de fichiers",
    "compte_ajoute": "compte ajouté",
    "compte_modifie": "compte modifié",
    "compte_supprime": "compte supprimé",
}
# The only detail keys an entry may carry (values: short words or small integers, see record()).
DETAILS = {"role", "resultat", "fichiers", "source"}
_LOCK = threading.Lock()


def path() -> Path:
    return state_dir() / "journal.jsonl"


def record(event: str, identifiant: str | None, file: Path | None = None, **details) -> dict:
    """Append one entry. Unknown events or detail keys are refused: nothing else reaches the journal."""
    if event not in EVENTS:
        raise ValueError(f"événement inconnu : {event}")
    unknown = set(details) - DETAILS
    if unknown:
        raise ValueError(f"détail non prévu dans le journal : {', '.join(sorted(unknown))}")
    entry = {
        "quand": datetime.now().isoformat(timespec="seconds"),
        "evenement": event,
        "identifiant": identifiant,
    }
    entry.update({k: v for k, v in details.items() if v is not None})
    file = file or path()
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    with _LOCK:
        file.parent.mkdir(parents=True, exist_ok=True)
        with file.open("a", encoding="utf-8") as f:
            f.write(line)
    return entry


def record_quietly(event: str, identifiant: str | None, **details) -> None:
    """record() for the dashboard: a read-only state folder must not stop a login or an import."""
    try:
        record(event, identifiant, **details)
    except OSError:
        pass


def last(n: int = 50, file: Path | None = None) -> list[dict]:
    """The n most recent entries, newest first (a damaged line is skipped)."""
    file = file or path()
    if not file.exists():
        return []
    with file.open(encoding="utf-8") as f:
        lines = deque(f, maxlen=n)
    entries = []
    for line in reversed(lines):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


RESULTATS = {
    "refuse": "refusé",
    "attente": "refusé (trop d'essais)",
    "applique": "appliqué",
    "annule": "annulé",
}


def table(entries: list[dict]) -> pd.DataFrame:
    """Entries as the Données page shows them: French date, event and detail."""
    rows = []
    for e in entries:
        detail = []
        if "role" in e:
            detail.append(f"rôle {e['role']}")
        if "resultat" in e:
            detail.append(RESULTATS.get(e["resultat"], str(e["resultat"])))
        if "fichiers" in e:
            detail.append(fmt.plural(int(e["fichiers"]), "fichier"))
        if "source" in e:
            detail.append(str(e["source"]))
        try:
            quand = datetime.fromisoformat(e["quand"])
            quand_txt = f"{fmt.day(quand.date())} {quand:%H:%M:%S}"
        except (KeyError, ValueError, TypeError):
            quand_txt = str(e.get("quand", ""))
        rows.append(
            {
                "quand": quand_txt,
                "événement": EVENTS.get(e.get("evenement"), str(e.get("evenement"))),
                "identifiant": e.get("identifiant") or "(poste local, sans compte)",
                "détail": ", ".join(detail),
            }
        )
    return pd.DataFrame(rows, columns=["quand", "événement", "identifiant", "détail"])
