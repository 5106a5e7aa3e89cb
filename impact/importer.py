"""Importing new export files into the data folder: validate first, archive what is replaced, then copy."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from impact import contract, workbook
from impact.load import LoadResult, load_folder

ARCHIVES = "_archives"


@dataclass
class ImportOutcome:
    applied: bool
    check: LoadResult
    archived_to: Path | None
    message: str


def import_files(folder: Path, files: dict[str, bytes], *, now: datetime | None = None) -> ImportOutcome:
    """Adds or replaces `files` (name -> content) in `folder` only if the folder then loads without error.

    Replaced files are first copied to folder/_archives/AAAAMMJJ-HHMMSS/ (never overwritten without a copy).
    """
    bad = [
        n
        for n in files
        if not workbook.is_workbook(n)
        and (not n.lower().endswith(".csv") or contract.table_for_file(Path(n).stem) is None)
    ]  # an .xlsx is read by its sheets' names (impact/workbook.py)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "essai"
        shutil.copytree(folder, trial, ignore=shutil.ignore_patterns(ARCHIVES, ".*"))
        for name, content in files.items():
            (trial / Path(name).name).write_bytes(content)
        check = load_folder(trial)
    if bad:
        return ImportOutcome(
            False, check, None, "Fichier(s) refusé(s), nom sans table connue : " + ", ".join(bad)
        )
    if not check.ok:
        return ImportOutcome(
            False,
            check,
            None,
            f"Import refusé : {len(check.errors)} erreur(s). Les données en place sont inchangées.",
        )
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    archive = folder / ARCHIVES / stamp
    replaced = [n for n in files if (folder / Path(n).name).exists()]
    if replaced:
        archive.mkdir(parents=True, exist_ok=True)
        for name in replaced:
            shutil.copy2(folder / Path(name).name, archive / Path(name).name)
    for name, content in files.items():
        (folder / Path(name).name).write_bytes(content)
    msg = f"{len(files)} fichier(s) importé(s)."
    if replaced:
        msg += f" Les anciennes versions de {', '.join(replaced)} sont copiées dans {archive}."
    return ImportOutcome(True, check, archive if replaced else None, msg)
