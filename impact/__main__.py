"""The command line: python -m impact check|kpis|demo|fiche-commune|bilan ..."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from impact import fmt


def _load_or_exit(folder: str):
    from impact.load import load_folder

    result = load_folder(Path(folder))
    if not result.ok:
        for p in result.problems:
            print(p, file=sys.stderr)
        print(f"{len(result.errors)} erreur(s) : le dossier {folder} ne se charge pas.", file=sys.stderr)
        sys.exit(1)
    return result


def _commune_code(code: str | None) -> str | None:
    if code is None:
        return None
    from impact import geo

    norm = geo.normalize_insee(code)
    nouvelle = geo.commune_nouvelle(norm) if norm else None
    if nouvelle is None:
        print(f"code INSEE inconnu : {code}", file=sys.stderr)
        sys.exit(2)
    return nouvelle


def cmd_check(args) -> int:
    from impact.load import load_folder

    result = load_folder(Path(args.dossier))
    for p in result.problems:
        print(p)
    n_err, n_warn = len(result.errors), len(result.warnings)
    rows = sum(f["lignes"] for f in result.files)
    if result.ok:
        au = f", données au {fmt.day(result.donnees_au)}" if result.donnees_au else ""
        print(
            f"OK : {len(result.files)} fichier(s), {fmt.integer(rows)} ligne(s) chargée(s){au} ; "
            f"{n_warn} avertissement(s)."
        )
        return 0
    print(f"ÉCHEC : {n_err} erreur(s), {n_warn} avertissement(s). Le dossier ne se charge pas.")
    return 1


def cmd_kpis(args) -> int:
    from impact.db import Database
    from impact.filters import Filtres
    from impact.indicators import kpis

    result = _load_or_exit(args.dossier)
    commune = _commune_code(args.commune)
    f = Filtres.annee(args.annee, communes=(commune,) if commune else None)
    k = kpis(Database(result), f)
    if args.json:
        print(json.dumps(k, ensure_ascii=False, indent=2))
    else:
        for key, value in k.items():
            print(f"{key:28} {value}")
    return 0


def cmd_demo(args) -> int:
    from impact.demo import generate

    generate(Path(args.dossier), seed=args.seed, scale=args.scale)
    print(f"Données de démonstration écrites dans {args.dossier} (graine {args.seed}, échelle {args.scale}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m impact", description="Tableau de bord d'impact — outils")
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("check", help="vérifie un dossier de données")
    p.add_argument("dossier")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("kpis", help="chiffres clés d'une année")
    p.add_argument("dossier")
    p.add_argument("--annee", type=int, required=True)
    p.add_argument("--commune", help="code INSEE de la commune nouvelle (ou déléguée)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kpis)

    p = sub.add_parser("demo", help="génère les données fictives de démonstration")
    p.add_argument("dossier")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--scale", type=int, default=1)
    p.set_defaults(func=cmd_demo)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
