"""Données: which folder is served, its files, the validation report, and the import of new exports."""

import pandas as pd
import streamlit as st

from impact import fmt, journal, login, ui
from impact.importer import import_files

if ui.context().role != "coordination":  # not in the read-only role's menu; never drawn for it either
    st.stop()
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

st.subheader("Importer de nouveaux exports")
if ctx.demo:
    st.markdown(
        "L'import est désactivé sur les données de démonstration. Lancez le tableau de bord sur votre dossier : "
        "`IMPACT_DATA=/chemin/vers/exports make run`."
    )
else:
    st.markdown(
        "Déposez un ou plusieurs fichiers CSV nommés d'après leur table (ex. `heures_alise.csv`). Ils sont "
        "vérifiés avec le reste du dossier avant d'être copiés ; un fichier remplacé est d'abord archivé dans `_archives/`."
    )
    uploads = st.file_uploader("Fichiers CSV", type=["csv"], accept_multiple_files=True, key="import_csv")
    if uploads and st.button("Vérifier et importer", type="primary"):
        outcome = import_files(ctx.folder, {u.name: u.getvalue() for u in uploads})
        journal.record_quietly(
            "import",
            login.identifiant(),
            resultat="applique" if outcome.applied else "refuse",
            fichiers=len(uploads),
        )
        (st.success if outcome.applied else st.error)(outcome.message)
        if not outcome.applied:
            st.dataframe(
                pd.DataFrame([str(p) for p in outcome.check.errors], columns=["erreur"]), hide_index=True
            )

st.subheader("Journal des connexions et des imports")
entries = journal.last(30)
if entries:
    st.caption(
        "Les 30 derniers événements, du plus récent au plus ancien (fichier journal.jsonl du dossier d'état)."
    )
    st.dataframe(journal.table(entries), hide_index=True, width="stretch")
else:
    st.markdown("Aucun événement enregistré (connexions, imports, comptes).")
