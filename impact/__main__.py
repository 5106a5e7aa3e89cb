"""The command line: python -m impact check|kpis|demo|fiche-commune|bilan|classeur-collecte|pseudonymiser|
importer|historique|annuler ..."""

from __future__ import annotations

import argparse
import json
import sys
import time
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
    problems = list(result.problems)
    au, resume = result.donnees_au, None
    if result.ok:  # freshness: structures whose declarations stop before the others' (warnings)
        from impact.db import Database
        from impact.indicators import fraicheur

        db = Database(result)
        problems += fraicheur.problemes(db)
        au = db.donnees_au
        resume = fraicheur.fraicheur(db).resume()
    for p in problems:
        print(p)
    if result.ok and resume:
        print(f"Fraîcheur : {resume} ; les chiffres des mois suivant le {fmt.day(au)} sont provisoires.")
    n_err, n_warn = len(result.errors), sum(p.severity != "erreur" for p in problems)
    rows = sum(f["lignes"] for f in result.files)
    if result.ok:
        au = f", données au {fmt.day(au)}" if au else ""
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


def _write(target, build, what: str) -> None:
    """Build a document, write it to target and say what, its size and the time it took."""
    start = time.perf_counter()
    data = build()
    Path(target).write_bytes(data)
    print(
        f"{target} : {what}, {fmt.integer(len(data) / 1024)} Ko, {fmt.number(time.perf_counter() - start, 1)} s"
    )


def cmd_fiche_commune(args) -> int:
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
        fiche = commune.fiche(db, code, args.annee)
        path = out_dir / f"fiche_{code}_{args.annee}.pdf" if args.toutes else Path(args.out)
        _write(path, lambda f=fiche: fiche_commune_pdf(f, provenance=prov), f"fiche {fiche.nom} {args.annee}")
    return 0


def cmd_bilan(args) -> int:
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
            _write(target, lambda build=build: build(b, provenance=prov), f"bilan {annee}")
    return 0


def cmd_classeur_collecte(args) -> int:
    from impact import collecte

    if args.dossier:
        result = _load_or_exit(args.dossier)
        try:
            data = collecte.build_for_folder(result, args.structure)
        except KeyError:
            known = ", ".join(sorted(result.tables["structures"]["structure_id"]))
            print(
                f"structure « {args.structure} » absente de {args.dossier} (structures : {known})",
                file=sys.stderr,
            )
            return 2
    else:
        data = collecte.build(args.structure)
    Path(args.fichier).write_bytes(data)
    quoi = f"de la structure {args.structure}" if args.structure else "de toutes les tables"
    print(f"{args.fichier} : classeur de collecte {quoi}, {fmt.integer(len(data) / 1024)} Ko.")
    return 0


def cmd_pseudonymiser(args) -> int:
    from impact import pseudonyme
    from impact.state import data_folder

    try:
        key, created = pseudonyme.load_or_create_key(data_folder=data_folder())
        if created:
            print(pseudonyme.KEY_WARNING.format(path=pseudonyme.key_path()), file=sys.stderr)
        outcome = pseudonyme.pseudonymise_file(
            Path(args.entree), Path(args.sortie), key, replace=args.remplacer
        )
    except pseudonyme.PseudonymError as exc:
        print(f"refusé : {exc}", file=sys.stderr)
        return 1
    if outcome.problems:
        for p in outcome.problems:
            print(p, file=sys.stderr)
        print(f"ÉCHEC : {len(outcome.problems)} problème(s), rien n'a été écrit.", file=sys.stderr)
        return 1
    print(
        f"{args.sortie} : {fmt.integer(outcome.rows)} ligne(s), {fmt.integer(outcome.people)} personne(s) ; "
        f"colonnes retirées : {', '.join(outcome.dropped)} ; ajoutée(s) : personne_id (pseudonyme)"
        + (", annee_naissance." if outcome.birth_year else ".")
    )
    return 0


def cmd_memoire(args) -> int:
    from impact.documents.memoire import memoire_docx, memoire_pdf
    from impact.indicators import bilan, memoire

    db, prov = _documents_context(args.dossier)
    annee = args.annee or bilan.annee_par_defaut(db)
    _annee_ou_sortie(db, annee)
    communes = tuple(c.strip() for c in (args.communes or "").split(",") if c.strip())
    activites = tuple(a.strip() for a in (args.activites or "").split(",") if a.strip())
    demande = memoire.Demande(args.titre, args.acheteur, annee, communes, activites, args.heures)
    try:
        m = memoire.memoire(db, demande)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    for target, build in ((args.docx, memoire_docx), (args.pdf, memoire_pdf)):
        if target:
            what = f"mémoire d'insertion {annee}, {len(m.structures)} structure(s)"
            _write(target, lambda build=build: build(m, provenance=prov), what)
    return 0


def cmd_fiche_structure(args) -> int:
    from impact.documents.fiche_structure import fiche_structure_pdf
    from impact.indicators import bilan, fiche_structure, listes

    db, prov = _documents_context(args.dossier)
    annee = args.annee or bilan.annee_par_defaut(db)
    _annee_ou_sortie(db, annee)
    known = list(listes.structures(db)["structure_id"])
    if args.toutes:
        out_dir = Path(args.out)
        out_dir.mkdir(parents=True, exist_ok=True)
        ids = known
    elif args.structure not in known:
        print(f"structure inconnue : {args.structure} (structures : {', '.join(known)})", file=sys.stderr)
        return 2
    else:
        ids = [args.structure]
    for sid in ids:
        data = fiche_structure_pdf(fiche_structure.fiche(db, sid, annee), provenance=prov)
        path = out_dir / f"fiche_{sid.lower()}_{annee}.pdf" if args.toutes else Path(args.out)
        path.write_bytes(data)
        print(f"{path} : fiche d'identité {sid} {annee}, {fmt.integer(len(data) / 1024)} Ko")
    return 0


def cmd_partenaire(args) -> int:
    from impact.documents.partenaire import partenaire_pdf
    from impact.indicators import partenaire

    db, prov = _documents_context(args.dossier)
    donneurs = partenaire.donneurs_prives(db)
    if args.partenaire not in donneurs:
        print(
            f"partenaire privé inconnu : {args.partenaire} (partenaires : {', '.join(donneurs)})",
            file=sys.stderr,
        )
        return 2
    data = partenaire_pdf(partenaire.partenaire(db, args.partenaire, args.debut, args.fin), provenance=prov)
    Path(args.out).write_bytes(data)
    print(f"{args.out} : {args.partenaire} {args.debut}-{args.fin}, {fmt.integer(len(data) / 1024)} Ko")
    return 0


def cmd_offre(args) -> int:
    from impact.documents.offre import offre_pdf
    from impact.indicators import offre

    db, prov = _documents_context(args.dossier)
    debut, fin = offre.periode(db)
    df = offre.offre(db, debut, fin)
    data = offre_pdf(df, debut, fin, provenance=prov)
    Path(args.out).write_bytes(data)
    print(
        f"{args.out} : offre de service {debut}-{fin}, {fmt.plural(df['activite'].nunique(), 'activité')}, "
        f"{fmt.integer(len(data) / 1024)} Ko"
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

    p = sub.add_parser("classeur-collecte", help="classeur Excel à remplir par une structure")
    p.add_argument("fichier", help="fichier .xlsx à écrire")
    p.add_argument("--structure", help="identifiant de la structure (ses tables, son identifiant pré-rempli)")
    p.add_argument("--dossier", help="dossier de données : nom de la structure, référentiels et marchés")
    p.set_defaults(func=cmd_classeur_collecte)

    p = sub.add_parser(
        "pseudonymiser", help="remplace noms et dates de naissance par un identifiant pseudonyme"
    )
    p.add_argument(
        "entree", metavar="ENTRÉE", help="fichier CSV ou .xlsx avec nom, prénom, date de naissance"
    )
    p.add_argument("sortie", metavar="SORTIE", help="fichier .csv ou .xlsx à écrire (pseudonymisé)")
    p.add_argument("--remplacer", action="store_true", help="écrase SORTIE s'il existe")
    p.set_defaults(func=cmd_pseudonymiser)

    _add_import_commands(sub)

    p = sub.add_parser("fiche-structure", help="fiche d'identité PDF d'une structure (ou de toutes)")
    p.add_argument("dossier")
    p.add_argument("--annee", type=int, help="par défaut : la dernière année complète")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--structure", help="identifiant de la structure (structure_id)")
    which.add_argument("--toutes", action="store_true", help="toutes les structures, dans le dossier --out")
    p.add_argument("--out", required=True, help="fichier PDF (ou dossier avec --toutes)")
    p.set_defaults(func=cmd_fiche_structure)

    p = sub.add_parser(
        "partenaire", help="page PDF pour un partenaire privé : ce que ses commandes ont permis"
    )
    p.add_argument("dossier")
    p.add_argument(
        "--partenaire", required=True, help="donneur d'ordre tel qu'écrit dans marches.csv (Veolia Eau)"
    )
    p.add_argument("--debut", type=int, required=True, help="première année")
    p.add_argument("--fin", type=int, required=True, help="dernière année")
    p.add_argument("--out", required=True, help="fichier PDF à écrire")
    p.set_defaults(func=cmd_partenaire)

    p = sub.add_parser("offre", help="offre de service du collectif (PDF d'une page)")
    p.add_argument("dossier")
    p.add_argument("--out", required=True, help="fichier PDF à écrire")
    p.set_defaults(func=cmd_offre)

    p = sub.add_parser("memoire", help="mémoire d'insertion d'un appel d'offres (Word et PDF)")
    p.add_argument("dossier")
    p.add_argument("--titre", required=True, help="intitulé du marché")
    p.add_argument("--acheteur", required=True, help="acheteur public ou entreprise donneuse d'ordre")
    p.add_argument("--communes", help="codes INSEE du territoire du marché, séparés par des virgules")
    p.add_argument("--activites", help="activités du marché, séparées par des virgules (mots recherchés)")
    p.add_argument("--heures", type=float, help="volume d'heures d'insertion du marché")
    p.add_argument("--annee", type=int, help="année des chiffres (par défaut : la dernière année complète)")
    p.add_argument("--docx", required=True, help="fichier Word à écrire")
    p.add_argument("--pdf", help="fichier PDF à écrire")
    p.set_defaults(func=cmd_memoire)

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


def _print_plan(plan) -> None:
    from impact import importer

    for p in plan.problems:
        print(p)
    print(plan.message())
    if plan.refused or (plan.errors and plan.kind != "annulation"):
        return
    print("\nFichiers :")
    print(plan.fichiers.to_string(index=False))
    if not plan.lignes.empty:
        print("\nLignes par table et par structure :")
        print(importer.lignes_lisibles(plan.lignes).to_string(index=False))
    print("\nChiffres clés qui changent, année par année :")
    figures = importer.chiffres_lisibles(plan.chiffres)
    print(figures.to_string(index=False) if not figures.empty else "aucun")
    if plan.fraicheur:
        print(f"\nFraîcheur après l'import : {plan.fraicheur} (chiffres provisoires au-delà).")


def cmd_importer(args) -> int:
    from impact import importer

    files = {}
    for name in args.fichiers:
        path = Path(name)
        if not path.is_file():
            print(f"{name} : fichier introuvable", file=sys.stderr)
            return 2
        files[path.name] = path.read_bytes()
    plan = importer.preparer(Path(args.dossier), files)
    _print_plan(plan)
    if not plan.ok:
        return 1
    if args.essai:
        print("\n--essai : aucun fichier n'a été modifié.")
        return 0
    try:
        entry = importer.appliquer(plan)
    except importer.ImportImpossible as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"\nImporté : {importer.resume_entree(entry)}")
    print(f"Pour l'annuler : python -m impact annuler {args.dossier} {entry['id']}")
    return 0


def cmd_historique(args) -> int:
    from impact import importer

    done = importer.reprendre(Path(args.dossier))
    if done:
        print(f"Reprise : {done}.")
    entries = importer.historique(Path(args.dossier))
    if not entries:
        print("Aucun import enregistré dans ce dossier.")
    for e in entries:
        print(importer.resume_entree(e))
        figures = importer.chiffres_lisibles(e.get("chiffres", []))
        for r in figures.itertuples(index=False):
            print(f"    {r[0]} {r[1]} : {r[2]} → {r[3]} ({r[4]})")
    return 0


def cmd_annuler(args) -> int:
    from impact import importer

    try:
        plan = importer.preparer_annulation(Path(args.dossier), args.identifiant)
        _print_plan(plan)
        entry = importer.appliquer(plan)
    except importer.ImportImpossible as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"\nAnnulé : {importer.resume_entree(entry)}")
    return 0


def _add_import_commands(sub) -> None:
    p = sub.add_parser(
        "importer", help="importe des fichiers dans un dossier (aperçu, puis import en une étape)"
    )
    p.add_argument("dossier")
    p.add_argument("fichiers", nargs="+", metavar="FICHIER")
    p.add_argument("--essai", action="store_true", help="affiche l'aperçu sans rien modifier")
    p.set_defaults(func=cmd_importer)

    p = sub.add_parser("historique", help="les imports d'un dossier et les chiffres qu'ils ont changés")
    p.add_argument("dossier")
    p.set_defaults(func=cmd_historique)

    p = sub.add_parser(
        "annuler", help="annule un import (le dernier par défaut) : remet les fichiers d'avant"
    )
    p.add_argument("dossier")
    p.add_argument("identifiant", nargs="?", help="identifiant de l'import (voir historique)")
    p.set_defaults(func=cmd_annuler)


if __name__ == "__main__":
    sys.exit(main())
