"""The lists the filters offer: years, communes nouvelles, structures, contracts."""

from __future__ import annotations

from impact.db import Database


def annees(db: Database) -> list[int]:
    return [int(a) for a in db.run("liste_annees")["annee"]]


def communes_nouvelles(db: Database) -> dict[str, str]:
    df = db.run("liste_communes_nouvelles")
    return dict(zip(df["commune"], df["nom"], strict=True))


def structures(db: Database):
    return db.run("liste_structures")


def marches(db: Database):
    return db.run("liste_marches")
