"""Which data the dashboard serves: the configured folder when it loads, otherwise the last good copy.

Every successful load is kept as a snapshot (parquet) in the state folder, the previous snapshot being
kept beside it, so a broken export never takes the figures away and nothing is overwritten without a copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from impact import DEMO_DIR, ROOT
from impact.load import LoadResult, load_folder


def data_folder() -> Path:
    """The folder to serve: $IMPACT_DATA, else the embedded demo data."""
    return Path(os.environ.get("IMPACT_DATA") or DEMO_DIR).expanduser().resolve()


def state_dir() -> Path:
    return Path(os.environ.get("IMPACT_STATE") or ROOT / ".etat").expanduser().resolve()


def is_demo(folder: Path) -> bool:
    return folder.resolve() == DEMO_DIR.resolve()


def _slot(folder: Path, base: Path) -> Path:
    return base / ("instantane_" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12])


def save_snapshot(result: LoadResult, base: Path | None = None) -> Path:
    base = base or state_dir()
    slot = _slot(result.folder, base)
    tmp = slot.with_name(slot.name + ".ecriture")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, df in result.tables.items():
        df.to_parquet(tmp / f"{name}.parquet", index=False)
    for name, df in result.reference.items():
        df.to_parquet(tmp / f"ref_{name}.parquet", index=False)
    manifest = {
        "dossier": str(result.folder),
        "version": result.version,
        "charge_le": datetime.now().isoformat(timespec="seconds"),
        "donnees_au": result.donnees_au.isoformat() if result.donnees_au else None,
        "fichiers": result.files,
    }
    (tmp / "manifeste.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    prev = slot.with_name(slot.name + ".precedent")
    if slot.exists():
        shutil.rmtree(prev, ignore_errors=True)
        slot.rename(prev)
    tmp.rename(slot)
    return slot


def read_snapshot(folder: Path, base: Path | None = None) -> LoadResult | None:
    slot = _slot(folder, base or state_dir())
    manifest_path = slot / "manifeste.json"
    if not manifest_path.exists():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tables, reference = {}, {}
    for p in slot.glob("*.parquet"):
        df = pd.read_parquet(p)
        if p.stem.startswith("ref_"):
            reference[p.stem.removeprefix("ref_")] = df
        else:
            tables[p.stem] = df
    au = manifest.get("donnees_au")
    return LoadResult(
        folder=folder,
        tables=tables,
        reference=reference,
        problems=[],
        files=manifest.get("fichiers", []),
        version="instantane-" + manifest["version"],
        donnees_au=date.fromisoformat(au) if au else None,
        loaded_from_snapshot=True,
        snapshot_info=manifest,
    )


@dataclass
class Served:
    """What the dashboard shows (`result`, None when nothing ever loaded) and the latest attempt."""

    result: LoadResult | None
    attempt: LoadResult

    @property
    def fallback(self) -> bool:
        return self.result is not None and self.result.loaded_from_snapshot


def serve(folder: Path, base: Path | None = None) -> Served:
    attempt = load_folder(folder)
    if attempt.ok:
        try:
            save_snapshot(attempt, base)
        except OSError:
            pass  # a read-only state folder must not stop the dashboard
        return Served(attempt, attempt)
    return Served(read_snapshot(folder, base), attempt)
