"""The blocks of the Données page: the folder served, each structure's freshness, the validation report, the
files read, the collection workbook, and the import of new exports (preview, "Importer", history, "Annuler
cet import"), so that the page reads as its list of sections. The import itself is impact.importer."""

from __future__ import annotations

import hashlib
from functools import partial

import pandas as pd
import streamlit as st

from impact import collecte, columns, fmt, importer, journal, login, pseudonyme, ui, view
from impact.definitions import help_text
from impact.indicators import fraicheur, reference


def section_status(ctx) -> None:
    served, attempt = ctx.served, ctx.served.attempt
    st.markdown(f"**Dossier :** `{view.server_path(ctx, ctx.folder)}`")
    if ctx.demo:
        st.info(
            "Ce sont les données fictives de démonstration fournies avec le tableau de bord (voir data/demo/LISEZMOI.txt)."
        )
    if served.fallback:
        info = served.result.snapshot_info
        st.error(
            f"La dernière lecture du dossier a échoué ({fmt.plural(len(attempt.errors), 'erreur')}). Le tableau de bord "
            f"affiche la dernière version valide, chargée le {fmt.moment(info.get('charge_le'))} "
            f"(données au {fmt.day(ctx.db.donnees_au)})."
        )
    else:
        st.success(
            f"Dossier chargé sans erreur : {fmt.plural(len(attempt.files), 'fichier')}, "
            f"{fmt.integer(sum(f['lignes'] for f in attempt.files))} lignes, données au {fmt.day(ctx.db.donnees_au)}."
        )


def section_freshness(ctx) -> None:
    st.subheader("Le dernier mois transmis par chaque structure")
    fr = view.call(fraicheur.fraicheur)
    st.markdown(
        f"**Données au {fmt.day(fr.donnees_au)}** : dernier mois que toutes les structures actives ont transmis "
        f"(dernier mois reçu : {fmt.month(fr.dernier_mois_recu) if fr.dernier_mois_recu else '—'})."
        + (
            f" {fr.resume()} : les chiffres après le {fmt.day(fr.donnees_au)} sont provisoires."
            if fr.resume()
            else ""
        )
    )
    df = view.call(fraicheur.structures)
    ui.table(
        df,
        keys=["nom", "type", "dernier_mois", "retard_mois", "statut"],
        labels={"nom": "structure"},
        filename="fraicheur_structures",
    )
    st.caption(help_text("structure_active"))


def section_report(ctx) -> None:
    attempt = ctx.served.attempt
    st.subheader("Rapport de vérification")
    problems = list(attempt.problems)
    if not ctx.served.fallback:
        problems += view.call(fraicheur.problemes)
    table = columns.problems_frame(problems)
    if table.empty:
        st.markdown("Aucun problème détecté.")
        return
    n_warn = sum(p.severity != "erreur" for p in problems)
    st.markdown(
        f"{fmt.plural(len(attempt.errors), 'erreur bloquante', 'erreurs bloquantes')} et "
        f"{fmt.plural(n_warn, 'avertissement')}. "
        "Chaque ligne indique le fichier, la ligne (l'en-tête est la ligne 1, comme dans un éditeur de texte) et la colonne."
    )
    ui.table(table, filename="rapport_verification")


def section_files(ctx) -> None:
    st.subheader("Fichiers lus")
    files = pd.DataFrame(
        ctx.served.attempt.files, columns=["fichier", "table", "lignes", "encodage", "separateur"]
    )
    ui.table(files, filename="fichiers_lus", labels={"separateur": "séparateur"})


def masked(ctx) -> bool:
    """Presentation mode or the read-only role: the figures that moved hold counts of people."""
    return ctx.masked


def author() -> str:
    """Who imports: the account id when accounts exist, else the local coordination."""
    return login.identifiant() or importer.LOCAL_AUTHOR


def section_journal() -> None:
    st.subheader("Journal des connexions et des imports")
    entries = journal.last(30)
    if not entries:
        st.markdown("Aucun événement enregistré (connexions, imports, comptes).")
        return
    st.caption(
        "Les 30 derniers événements, du plus récent au plus ancien (fichier journal.jsonl du dossier d'état)."
    )
    st.dataframe(journal.table(entries), hide_index=True, width="stretch")


def show_plan(plan: importer.Plan, key: str) -> None:
    """The preview: validation, then the files, rows and key figures that the change would move."""
    if plan.refused or (plan.errors and plan.kind != "annulation"):
        st.error(plan.message())
        if plan.errors:
            ui.table(
                columns.problems_frame(plan.problems), filename=f"verification_{key}", key=f"dl_verif_{key}"
            )
        return
    (st.success if plan.has_changes else st.info)(plan.message())
    st.markdown("**Fichiers**")
    st.dataframe(
        plan.fichiers.assign(octets=plan.fichiers["octets"].map(fmt.integer)),
        hide_index=True,
        width="stretch",
    )
    after = "Après l'annulation" if plan.kind == "annulation" else "Après l'import"
    st.markdown("**Lignes ajoutées, retirées, modifiées, par table et par structure**")
    if plan.lignes.empty:
        st.markdown("Aucune ligne ne change.")
    else:
        removed = plan.lignes[plan.lignes["retirees"] > 0]
        if plan.kind != "annulation" and not removed.empty:
            # A file dropped under the name of one in place replaces it whole: sent with only the new month, it
            # takes the earlier months away.
            st.warning(
                f"{after}, des lignes déjà dans le dossier n'y seraient plus : "
                + " ; ".join(
                    f"table «\u00a0{r.table}\u00a0», {r.structure} : {fmt.plural(int(r.retirees), 'ligne')} sur "
                    f"{r.periode_avant}"
                    for r in removed.itertuples()
                )
                + ". Un fichier déposé sous le nom d'un fichier en place le remplace entièrement. Pour ajouter "
                "un mois sans retirer les précédents, déposez un fichier au nom nouveau (ex. "
                "`heures_alise_2026_10.csv`) ou le fichier complet."
            )
        st.dataframe(importer.lignes_lisibles(plan.lignes), hide_index=True, width="stretch")
    st.markdown("**Chiffres clés qui changent, année par année (avant → après)**")
    figures = importer.chiffres_lisibles(plan.chiffres)
    if figures.empty:
        st.markdown("Aucun chiffre clé ne change.")
    else:
        st.dataframe(figures, hide_index=True, width="stretch")
    if plan.fraicheur:
        st.warning(f"{after} : {plan.fraicheur}. Les chiffres de ces mois seront marqués provisoires.")
    warnings = [p for p in plan.problems if p.severity != "erreur"]
    if warnings:
        with st.expander(f"{fmt.plural(len(warnings), 'avertissement')} de vérification"):
            st.dataframe(
                columns.shown(columns.problems_frame(warnings), masked=False).cells(),
                hide_index=True,
                width="stretch",
            )


# The file uploader's own strings are English ("Upload", "200MB per file", "67.0B"): replaced or hidden.
UPLOADER_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p::after {
  content: "Choisir des fichiers"; font-size: 1rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "ou glissez-les ici (CSV ou Excel .xlsx, 200 Mo max.)"; font-size: 0.9rem; }
[data-testid="stFileChipName"] + div { display: none; }
</style>
"""


def _signature(uploads) -> str:
    h = hashlib.sha256()
    for u in uploads:
        h.update(u.name.encode() + b"\0" + hashlib.sha256(u.getvalue()).digest())
    return h.hexdigest()


def _forget_plan() -> None:
    """No preview kept: the next run with files computes one."""
    for k in ("import_plan", "import_plan_sig"):
        st.session_state.pop(k, None)


def section_import(ctx) -> None:
    st.subheader("Importer de nouveaux exports")
    if getattr(ctx, "role", "coordination") != "coordination" or masked(ctx):
        st.markdown("L'import est réservé à la coordination, hors mode présentation.")
        return
    if ctx.demo:  # at the desk: how to serve one's own folder
        st.markdown(
            "L'import est désactivé sur les données de démonstration. Lancez le tableau de bord sur votre dossier : "
            "`IMPACT_DATA=/chemin/vers/exports make run`."
        )
        return
    if "import_message" in st.session_state:
        st.success(st.session_state.pop("import_message"))
    st.markdown(
        "Déposez un ou plusieurs fichiers CSV nommés d'après leur table (ex. `heures_alise.csv`), ou des "
        "classeurs Excel (.xlsx) dont les feuilles portent le nom des tables (`heures`, `parcours`…). Ils sont "
        "vérifiés avec le reste du dossier, puis l'aperçu montre ce qui changerait ; rien n'est modifié avant "
        "« Importer ». L'import se fait en une seule étape (un import interrompu est terminé ou défait au "
        "démarrage suivant) ; un fichier remplacé est d'abord copié dans `_archives/`."
    )
    n = st.session_state.setdefault("import_uploader", 0)
    st.markdown(UPLOADER_CSS, unsafe_allow_html=True)
    uploads = st.file_uploader(
        "Fichiers CSV ou classeurs Excel",
        type=["csv", "xlsx"],
        accept_multiple_files=True,
        key=f"import_csv_{n}",
    )
    if not uploads:
        _forget_plan()
        return
    files = {u.name: u.getvalue() for u in uploads}
    named = pseudonyme.files_with_names(files)  # in memory: a raw file is never written anywhere
    pseudo = False
    if named:
        st.warning(
            "Ces fichiers contiennent des colonnes qui identifient des personnes et seraient refusés tels quels : "
            + " ; ".join(f"{n} ({', '.join(cols)})" for n, cols in named.items())
            + ". Le tableau de bord peut remplacer nom, prénom et date de naissance par un identifiant pseudonyme "
            "(la même personne a le même identifiant dans toutes les structures) et garder l'année de naissance ; "
            "les autres colonnes identifiantes sont retirées. Voir la page Méthodologie."
        )
        pseudo = st.checkbox("Pseudonymiser ces fichiers avant l'import", value=True, key="import_pseudo")
    sig = _signature(uploads) + str(pseudo)
    # A preview is kept for these files (and this choice) only: unticking then ticking again computes it anew.
    if st.session_state.get("import_plan_sig") != sig or "import_plan" not in st.session_state:
        if named:
            if (
                not pseudo
            ):  # refused before any trial copy: names are never written, not even to a temp folder
                st.error(
                    "Import refusé, rien n'a été importé ni copié : "
                    + " ; ".join(f"{n} : colonnes identifiantes ({', '.join(c)})" for n, c in named.items())
                )
                _forget_plan()
                return
            files, problems, created = pseudonyme.for_import(files, list(named), ctx.folder)
            if created:
                st.warning(pseudonyme.KEY_WARNING.format(path=pseudonyme.key_path()))
            if problems:
                st.error(
                    "Import refusé, rien n'a été importé ni copié :\n\n"
                    + "\n".join(f"- {p}" for p in problems)
                )
                _forget_plan()
                return
        with st.spinner("Vérification des fichiers avec le reste du dossier…"):
            st.session_state["import_plan"] = importer.preparer(ctx.folder, files)
        st.session_state["import_plan_sig"] = sig
    plan = st.session_state["import_plan"]
    st.markdown("#### Aperçu de l'import")
    show_plan(plan, "import")
    if plan.ok and st.button("Importer", type="primary", key="importer"):
        try:
            with st.spinner("Import en cours…"):
                entry = importer.appliquer(plan, qui=author())
        except importer.ImportImpossible as exc:
            journal.record_quietly(
                "import", login.identifiant(), resultat="refuse", fichiers=len(plan.writes)
            )
            st.error(str(exc))
            return
        journal.record_quietly("import", login.identifiant(), resultat="applique", fichiers=len(plan.writes))
        st.session_state["import_message"] = (
            f"Import {entry['id']} appliqué : {fmt.plural(len(entry['fichiers']), 'fichier')}. "
            "Le tableau de bord montre maintenant les nouvelles données ; l'historique ci-dessous permet de l'annuler."
        )
        _forget_plan()
        st.session_state["import_uploader"] = n + 1  # an empty uploader for the next import
        st.rerun()


def section_collecte(ctx) -> None:
    st.subheader("Classeur de collecte")
    st.markdown(
        "Le classeur Excel qu'une structure remplit : une feuille par table qu'elle envoie, une bulle d'aide sur "
        "chaque colonne, des listes déroulantes (motifs de sortie, communes, oui/non…) et son identifiant déjà "
        "rempli. Rempli, il se dépose tel quel ci-dessous."
    )
    choices = collecte.structure_choices(ctx.served.result)
    structure = st.selectbox(
        "Structure",
        [None, *choices],
        format_func=lambda s: "Toutes les tables (coordination)" if s is None else choices[s],
        key="collecte_structure",
        placeholder="Choisir…",  # never Streamlit's English "Choose an option"
    )
    st.download_button(
        "Télécharger le classeur de collecte",
        partial(collecte.build_or_default, ctx.served.result, structure),
        file_name=collecte.file_name(structure),
        mime=collecte.XLSX_MIME,
        key="collecte_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )


def section_history(ctx) -> None:
    if ctx.demo:
        return
    st.subheader("Historique des imports")
    if "annulation_message" in st.session_state:
        st.success(st.session_state.pop("annulation_message"))
    entries = importer.historique(ctx.folder)
    if not entries:
        st.markdown("Aucun import enregistré pour ce dossier.")
        return
    can_undo = getattr(ctx, "role", "coordination") == "coordination" and not masked(ctx)
    for e in entries:
        with st.container(border=True):
            st.markdown(importer.resume_entree(e))
            figures = importer.chiffres_lisibles(e.get("chiffres", []))
            if not figures.empty and not masked(ctx):
                st.dataframe(figures, hide_index=True, width="stretch")
            if not can_undo or e["type"] != "import" or e["annule_par"]:
                continue
            if st.session_state.get("annuler_id") != e["id"]:
                if st.button("Annuler cet import", key=f"annuler_{e['id']}"):
                    st.session_state["annuler_id"] = e["id"]
                    st.rerun()
                continue
            try:
                plan = importer.preparer_annulation(ctx.folder, e["id"])
            except importer.ImportImpossible as exc:
                st.error(str(exc))
                st.session_state.pop("annuler_id", None)
                continue
            st.markdown("**L'annulation remettrait exactement les fichiers d'avant cet import :**")
            show_plan(plan, f"annulation_{e['id']}")
            left, right = st.columns(2)
            if left.button("Confirmer l'annulation", type="primary", key=f"confirmer_{e['id']}"):
                try:
                    undo = importer.appliquer(plan, qui=author())
                except importer.ImportImpossible as exc:
                    st.error(str(exc))
                    continue
                # An undo puts files back and removes those its import added: both are files it changed.
                journal.record_quietly(
                    "import",
                    login.identifiant(),
                    resultat="annule",
                    fichiers=len(plan.writes) + len(plan.removals),
                )
                st.session_state.pop("annuler_id", None)
                st.session_state["annulation_message"] = (
                    f"Import {e['id']} annulé ({undo['id']}) : les fichiers d'avant sont remis."
                )
                st.rerun()
            if right.button("Ne pas annuler", key=f"garder_{e['id']}"):
                st.session_state.pop("annuler_id", None)
                st.rerun()


def section_contrat() -> None:
    """Méthodologie: the data contract, an empty template per table, the collection workbook."""
    st.header("Le contrat de données et les modèles de fichiers")
    st.markdown(
        "Pour alimenter le tableau de bord avec de vrais exports, déposez dans un dossier des fichiers CSV qui "
        "suivent le contrat de données (`docs/contrat_donnees.md`), puis lancez "
        "`IMPACT_DATA=/chemin/vers/exports make run`. Chaque modèle ci-dessous est un fichier vide avec la ligne "
        "d'en-tête de la table (`;`, UTF-8, s'ouvre dans Excel)."
    )
    modeles = reference.modeles()
    # Buttons as wide as their names, on as many lines as the screen needs: a fixed grid cut the longest
    # names ("Modèle chiffre_aff…") on a 1024-pixel projector.
    with st.container(horizontal=True, wrap=True):
        for table, path in modeles.items():
            st.download_button(
                f"Modèle {table}.csv",
                path.read_bytes(),
                file_name=f"{table}.csv",
                mime="text/csv",
                key=f"modele_{table}",
                icon=":material/download:",
                on_click="ignore",
                width="content",
            )
    st.download_button(
        "Classeur de collecte Excel (toutes les tables)",
        collecte.build,
        file_name=collecte.file_name(None),
        mime=collecte.XLSX_MIME,
        key="collecte_methodologie",
        icon=":material/table_view:",
        on_click="ignore",
    )
    st.caption(
        "Le classeur de collecte d'une structure (ses tables, son identifiant déjà rempli) se télécharge depuis la page "
        "Données ; en ligne de commande : `python -m impact classeur-collecte collecte.xlsx --structure ID --dossier "
        "DOSSIER`. Les classeurs .xlsx sont acceptés partout où un CSV l'est."
    )
    doc = reference.contrat_markdown()
    if doc is not None:
        st.download_button(
            "Télécharger le contrat de données (contrat_donnees.md)",
            reference.DOC_PATH.read_bytes(),
            file_name="contrat_donnees.md",
            mime="text/markdown",
            key="contrat_md",
            icon=":material/description:",
            on_click="ignore",
        )
        with st.expander("Lire le contrat de données"):
            st.markdown(doc, unsafe_allow_html=True)
