"""Données: which folder is served, its files, the validation report, and the import of new exports."""

from functools import partial

import pandas as pd
import streamlit as st

from impact import collecte, fmt, pseudonyme, ui
from impact.importer import import_files

ctx = ui.page_header(
    "Données", "Le dossier chargé, ses fichiers, le rapport de vérification, l'import de nouveaux exports."
)
served = ctx.served
attempt = served.attempt

st.markdown(f"**Dossier :** `{ctx.folder}`")
if ctx.demo:
    st.info(
        "Ce sont les données fictives de démonstration fournies avec le tableau de bord (voir data/demo/LISEZMOI.txt)."
    )
if served.fallback:
    info = served.result.snapshot_info
    st.error(
        f"La dernière lecture du dossier a échoué ({fmt.plural(len(attempt.errors), 'erreur')}). Le tableau de bord "
        f"affiche la dernière version valide, chargée le {info.get('charge_le', '?').replace('T', ' à ')} "
        f"(données au {fmt.day(served.result.donnees_au)})."
    )
else:
    st.success(
        f"Dossier chargé sans erreur : {fmt.plural(len(attempt.files), 'fichier')}, "
        f"{fmt.integer(sum(f['lignes'] for f in attempt.files))} lignes, données au {fmt.day(attempt.donnees_au)}."
    )

st.subheader("Rapport de vérification")
problems = pd.DataFrame(
    [
        {"fichier": p.file, "ligne": p.line, "colonne": p.column, "gravité": p.severity, "message": p.message}
        for p in attempt.problems
    ],
    columns=["fichier", "ligne", "colonne", "gravité", "message"],
)
if problems.empty:
    st.markdown("Aucun problème détecté.")
else:
    st.markdown(
        f"{fmt.plural(len(attempt.errors), 'erreur')} (bloquantes) et {fmt.plural(len(attempt.warnings), 'avertissement')}. "
        "Chaque ligne indique le fichier, la ligne (l'en-tête est la ligne 1, comme dans un éditeur de texte) et la colonne."
    )
    ui.table(problems, filename="rapport_verification")

st.subheader("Fichiers lus")
files = pd.DataFrame(attempt.files, columns=["fichier", "table", "lignes", "encodage", "separateur"])
ui.table(
    files.rename(columns={"separateur": "séparateur"}),
    filename="fichiers_lus",
    formats={"lignes": fmt.integer},
)

st.subheader("Classeur de collecte")
st.markdown(
    "Le classeur Excel qu'une structure remplit : une feuille par table qu'elle envoie, une bulle d'aide sur chaque "
    "colonne, des listes déroulantes (motifs de sortie, communes, oui/non…) et son identifiant déjà rempli. Rempli, "
    "il se dépose tel quel ci-dessous."
)
choices = collecte.structure_choices(served.result)
structure = st.selectbox(
    "Structure",
    [None, *choices],
    format_func=lambda s: "Toutes les tables (coordination)" if s is None else choices[s],
    key="collecte_structure",
)
st.download_button(
    "Télécharger le classeur de collecte",
    partial(collecte.build_or_default, served.result, structure),
    file_name=collecte.file_name(structure),
    mime=collecte.XLSX_MIME,
    key="collecte_xlsx",
    icon=":material/download:",
    on_click="ignore",
)

st.subheader("Importer de nouveaux exports")
if ctx.demo:
    st.markdown(
        "L'import est désactivé sur les données de démonstration. Lancez le tableau de bord sur votre dossier : "
        "`IMPACT_DATA=/chemin/vers/exports make run`."
    )
else:
    st.markdown(
        "Déposez un ou plusieurs fichiers CSV nommés d'après leur table (ex. `heures_alise.csv`), ou des classeurs "
        "Excel (.xlsx) dont les feuilles portent le nom des tables (`heures`, `parcours`…). Ils sont "
        "vérifiés avec le reste du dossier avant d'être copiés ; un fichier remplacé est d'abord archivé dans `_archives/`."
    )
    uploads = st.file_uploader(
        "Fichiers CSV ou classeurs Excel", type=["csv", "xlsx"], accept_multiple_files=True, key="import_csv"
    )
    files = {u.name: u.getvalue() for u in uploads or []}
    named = pseudonyme.files_with_names(files)  # in memory: a raw file is never written anywhere
    if named:
        st.warning(
            "Ces fichiers contiennent des colonnes qui identifient des personnes et seraient refusés tels quels : "
            + " ; ".join(f"{n} ({', '.join(cols)})" for n, cols in named.items())
            + ". Le tableau de bord peut remplacer nom, prénom et date de naissance par un identifiant pseudonyme "
            "(la même personne a le même identifiant dans toutes les structures) et garder l'année de naissance ; "
            "les autres colonnes identifiantes sont retirées. Voir la page Méthodologie."
        )
        pseudo = st.checkbox("Pseudonymiser ces fichiers avant l'import", value=True, key="import_pseudo")
    if uploads and st.button("Vérifier et importer", type="primary"):
        problems = []
        if named and pseudo:
            files, problems, created = pseudonyme.for_import(files, list(named), ctx.folder)
            if created:
                st.warning(pseudonyme.KEY_WARNING.format(path=pseudonyme.key_path()))
        elif named:  # refused before any trial copy: names are never written, not even to a temporary folder
            problems = [f"{n} : colonnes identifiantes ({', '.join(c)})" for n, c in named.items()]
        if problems:
            st.error(
                "Import refusé, rien n'a été importé ni copié :\n\n" + "\n".join(f"- {p}" for p in problems)
            )
            st.stop()
        outcome = import_files(ctx.folder, files)
        (st.success if outcome.applied else st.error)(outcome.message)
        if not outcome.applied:
            st.dataframe(
                pd.DataFrame([str(p) for p in outcome.check.errors], columns=["erreur"]), hide_index=True
            )
