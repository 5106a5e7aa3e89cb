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


def _documents_context(folder: str):
    """Database and freshness line for the documents of a data folder (exits 1 when it does not load)."""
    from impact.db import Database
    from impact.documents import provenance
    from impact.state import is_demo

    db = Database(_load_or_exit(folder))
    return db, provenance(db.donnees_au, is_demo(Path(folder)))


def _annee_ou_sortie(db, annee: int) -> None:
    from impact.indicators import listes

    annees = listes.annees(db)
    if annee not in annees:
        print(f"année {annee} absente des données (années : {', '.join(map(str, annees))})", file=sys.stderr)
        sys.exit(2)


def cmd_fiche_commune(args) -> int:
    import time

    from impact.documents.pdf import fiche_commune_pdf
    from impact.indicators import commune

    db, prov = _documents_context(args.dossier)
    _annee_ou_sortie(db, args.annee)
    if args.toutes:
        out_dir = Path(args.out)
        out_dir.mkdir(parents=True, exist_ok=True)
        codes = list(commune.communes(db))
    else:
        codes = [_commune_code(args.commune)]
    for code in codes:
        start = time.perf_counter()
        fiche = commune.fiche(db, code, args.annee)
        data = fiche_commune_pdf(fiche, provenance=prov)
        path = out_dir / f"fiche_{code}_{args.annee}.pdf" if args.toutes else Path(args.out)
        path.write_bytes(data)
        print(
            f"{path} : fiche {fiche.nom} {args.annee}, {fmt.integer(len(data) / 1024)} Ko, "
            f"{fmt.number(time.perf_counter() - start, 1)} s"
        )
    return 0


def cmd_bilan(args) -> int:
    import time

    from impact.documents.pdf import bilan_pdf
    from impact.documents.xlsx import bilan_xlsx
    from impact.indicators import bilan

    if not args.pdf and not args.xlsx:
        print("indiquez --pdf FICHIER et/ou --xlsx FICHIER", file=sys.stderr)
        return 2
    db, prov = _documents_context(args.dossier)
    annee = args.annee or bilan.annee_par_defaut(db)
    _annee_ou_sortie(db, annee)
    b = bilan.bilan(db, annee)
    for target, build in ((args.pdf, bilan_pdf), (args.xlsx, bilan_xlsx)):
        if target:
            start = time.perf_counter()
            data = build(b, provenance=prov)
            Path(target).write_bytes(data)
            print(
                f"{target} : bilan {annee}, {fmt.integer(len(data) / 1024)} Ko, "
                f"{fmt.number(time.perf_counter() - start, 1)} s"
            )
    return 0


def _read_password() -> str:
    """Twice from the terminal (not echoed), or one line of stdin when it is not a terminal (scripts)."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (encore) : ") != first:
        print("les deux mots de passe diffèrent : compte inchangé.", file=sys.stderr)
        sys.exit(1)
    return first


def cmd_compte(args) -> int:
    from impact import accounts, journal

    file = accounts.path()
    try:
        if args.action == "lister":
            comptes = accounts.load(file)
            if not comptes:
                print(f"Aucun compte ({file} absent ou vide).")
            for a in sorted(comptes.values(), key=lambda a: a.identifiant):
                print(f"{a.identifiant:32} {a.role:13} créé le {a.cree_le.replace('T', ' à ')}")
            return 0
        if args.action == "ajouter":
            accounts.check_identifiant(args.identifiant)
            new = accounts.add(args.identifiant, args.role, _read_password(), file)
            journal.record("compte_ajoute" if new else "compte_modifie", args.identifiant, role=args.role)
            print(
                f"Compte {args.identifiant} {'créé' if new else 'modifié'} ({args.role}) dans {file}."
                + (
                    " Le tableau de bord demande désormais une connexion."
                    if new and len(accounts.load(file)) == 1
                    else ""
                )
            )
            return 0
        accounts.remove(args.identifiant, file)
        journal.record("compte_supprime", args.identifiant)
        print(f"Compte {args.identifiant} supprimé de {file}.")
        return 0
    except accounts.AccountError as e:
        print(e, file=sys.stderr)
        return 1


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

    p = sub.add_parser("fiche-commune", help="fiche PDF d'une commune nouvelle (ou des six)")
    p.add_argument("dossier")
    p.add_argument("--annee", type=int, required=True)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--commune", help="code INSEE de la commune nouvelle (ou d'une commune déléguée)")
    which.add_argument(
        "--toutes", action="store_true", help="les six communes nouvelles, dans le dossier --out"
    )
    p.add_argument("--out", required=True, help="fichier PDF (ou dossier avec --toutes)")
    p.set_defaults(func=cmd_fiche_commune)

    p = sub.add_parser("bilan", help="bilan annuel : rapport PDF et classeur XLSX")
    p.add_argument("dossier")
    p.add_argument("--annee", type=int, help="par défaut : la dernière année complète")
    p.add_argument("--pdf", help="fichier PDF à écrire")
    p.add_argument("--xlsx", help="fichier XLSX à écrire")
    p.set_defaults(func=cmd_bilan)

    p = sub.add_parser("compte", help="comptes du tableau de bord (rôles coordination et lecture)")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("ajouter", help="crée un compte (ou change son rôle et son mot de passe)")
    a.add_argument("identifiant")
    a.add_argument("--role", required=True, metavar="lecture|coordination")
    a = actions.add_parser("supprimer", help="supprime un compte")
    a.add_argument("identifiant")
    actions.add_parser("lister", help="liste les comptes et leur rôle")
    p.set_defaults(func=cmd_compte)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
