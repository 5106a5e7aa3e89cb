"""Méthodologie: every definition, the exit-reason mapping and ETP bases of the loaded data, the sources and
their freshness, the privacy rule, the territory, how to read the figures, the data contract and templates."""

import streamlit as st

from impact import collecte, fmt, geo, privacy, pseudonyme, sidebar, ui, view
from impact.definitions import DEFINITIONS
from impact.indicators import MIN_SORTIES_TAUX, kpis, reference

ctx = sidebar.page_header(
    "Méthodologie",
    "Comment chaque chiffre est défini et calculé, d'où viennent les données, et comment les lire.",
)
f = ctx.filtres

st.markdown(
    "Toutes les pages, exports et documents calculent leurs chiffres avec les mêmes définitions, ci-dessous. "
    "Les règles modifiables (motifs de sortie, bases ETP, communes) sont lues dans les tables de référence "
    "des données chargées. Le format des fichiers attendus est décrit dans le **contrat de données** "
    "(`docs/contrat_donnees.md`, en bas de cette page avec un modèle vide par table)."
)

# --- Definitions -----------------------------------------------------------------------------------
st.header("Les définitions des indicateurs")
for d in DEFINITIONS.values():
    st.markdown(f"**{d.label}** — {d.text}")

# --- Exits ---------------------------------------------------------------------------------------------
st.header("Les sorties : motifs et catégories")
st.markdown(
    "Chaque motif de sortie déclaré est rattaché à l'une des cinq catégories de l'ASP. Les trois premières "
    "comptent au numérateur du taux de sortie dynamique ; les « autres sorties » seulement au dénominateur ; "
    "les retraits (sorties neutralisées) sont exclus des deux. Le chargeur accepte le code ou le libellé."
)
categories = view.call(reference.categories_sortie)
ui.table(
    categories.rename(
        columns={
            "categorie": "Catégorie",
            "libelle": "Libellé",
            "taux_dynamique": "Compte dans le taux dynamique",
            "motifs": "Nombre de motifs",
        }
    ),
    filename="categories_sortie",
    formats={"Nombre de motifs": fmt.integer},
)
motifs = view.call(reference.motifs_sortie)
ui.table(
    motifs.rename(
        columns={
            "code": "Code",
            "libelle": "Libellé",
            "categorie": "Catégorie",
            "categorie_libelle": "Libellé de la catégorie",
            "taux_dynamique": "Compte dans le taux dynamique",
        }
    ),
    filename="motifs_sortie",
)
st.caption(
    f"Sources : {view.server_path(ctx, reference.reference_source(ctx.folder, 'motifs_sortie'))} et "
    f"{view.server_path(ctx, reference.reference_source(ctx.folder, 'categories_sortie'))} (un sous-dossier reference/ du dossier de "
    "données remplace les fichiers par défaut)."
)

# --- ETP ------------------------------------------------------------------------------------------------
st.header("Les bases des équivalents temps plein (ETP)")
st.markdown(
    "Un ETP est un nombre d'heures travaillées divisé par la durée annuelle d'un temps plein, qui dépend du type "
    "de structure et peut changer par décret : chaque base vaut à partir de son année de début. Le type « * » "
    "vaut pour tout type sans base propre."
)
bases = view.call(reference.bases_etp)
ui.table(
    bases.rename(
        columns={
            "type": "Type",
            "type_libelle": "Libellé",
            "annee_debut": "À partir de",
            "heures_annuelles": "Heures annuelles",
            "source": "Source",
        }
    ),
    filename="bases_etp",
    formats={"À partir de": str, "Heures annuelles": fmt.hours},
)
st.caption(f"Source : {view.server_path(ctx, reference.reference_source(ctx.folder, 'bases_etp'))}.")

# --- Sources ------------------------------------------------------------------------------------------
st.header("Les sources des données")
st.markdown(
    "Les coordinateurs rassemblent les exports de l'Extranet IAE 2.0 de l'ASP (personnes, contrats, heures "
    "mensuelles, motifs de sortie), des outils de paie ou de planning des structures (heures par chantier), "
    "de la comptabilité (chiffre d'affaires) et de leurs propres tableaux (marchés, interventions, jalons). "
    f"**{sidebar.freshness(ctx)}** : dernier jour du mois le plus récent présent dans les heures déclarées."
)
if ctx.demo:
    st.info("Les données affichées sont fictives : ce sont les données de démonstration du tableau de bord.")
result = ctx.served.result
sources = reference.sources(result.files)
ui.table(
    sources.rename(
        columns={
            "table": "Table",
            "obligatoire": "Obligatoire",
            "contenu": "Contenu",
            "fichiers": "Fichiers lus",
            "nb_fichiers": "Nombre de fichiers",
            "lignes": "Lignes",
        }
    ),
    filename="sources_donnees",
    formats={"Nombre de fichiers": fmt.integer, "Lignes": fmt.integer},
)
st.caption(
    f"Lignes de données lues (hors en-tête). {geo.source_label()}."
    + (
        f" Dossier chargé : {ctx.folder}. Le détail de la vérification des fichiers est sur la page Données."
        if ctx.role == "coordination"
        else ""
    )
)

# --- Privacy -----------------------------------------------------------------------------------------
st.header("La confidentialité")
st.markdown(
    "- Les personnes ne sont connues que par un **identifiant pseudonyme** et leur année de naissance : le "
    "tableau de bord n'a besoin ni de nom, ni de coordonnées, ni de date de naissance complète. Ces données "
    "restent des données personnelles (la RQTH est une donnée de santé) : le tableau de bord les traite sur le poste, sans aucune requête vers l'extérieur.\n"
    "- Un fichier qui contient une colonne identifiante est **refusé** au chargement, avec un message qui "
    "explique pourquoi (liste ci-dessous).\n"
    "- **Une seule règle de masquage** (module `impact/privacy.py`), appliquée partout où les chiffres "
    "sortent de l'équipe de coordination : en **mode présentation**, pour le rôle **lecture** (conseil "
    "d'administration, élus, partenaires) et dans **tous les documents** (fiche commune PDF, bilan PDF et "
    "Excel, tableaux CSV téléchargés) — phrases, tuiles, tableaux, graphiques (barres, axes, étiquettes, "
    "survol) et carte.\n"
    f"- Un effectif de **moins de {privacy.SEUIL} personnes** (zéro excepté) s'affiche « {privacy.MASQUE} ». "
    "Sur un "
    f"graphique, il n'a pas de barre ni de point : « {privacy.MASQUE} » est écrit à sa place (une barre "
    "absente se lirait comme zéro), et un graphique dont toutes les valeurs sont masquées n'a pas d'échelle.\n"
    f"- « **{privacy.MASQUE_SECONDAIRE}** » : une case qui n'est pas un petit effectif, masquée seulement "
    "parce qu'avec le total de sa ligne ou de sa colonne elle redonnerait un effectif masqué (masquage "
    f"secondaire). Elle peut valoir {privacy.SEUIL} ou bien plus : c'est pourquoi elle ne s'écrit pas "
    f"« {privacy.MASQUE} ».\n"
    f"- Un **taux** ou un rapport **n/N** n'est donné que si n, N et N − n sont tous hors de 1 à "
    f"{privacy.SEUIL - 1} : sinon il se lit « {privacy.TAUX_MASQUE} », car le taux et N redonneraient n "
    "(ou N − n). Les parts d'un public suivent la même règle.\n"
    "- **Zéro n'est pas masqué** : « aucune personne » ne désigne personne, alors qu'un effectif de 1 à "
    f"{privacy.SEUIL - 1} permet de reconnaître quelqu'un dans une commune ou une structure. Masquer les zéros "
    "cacherait aussi l'absence d'activité, qui est une information utile et sans risque.\n"
    f"- **Aucun taux** de sortie n'est calculé sur moins de {MIN_SORTIES_TAUX} sorties examinées (trop peu "
    "pour être significatif) ; le nombre de sorties (n/N) est donné à côté d'un taux quand la règle ci-dessus "
    "le permet."
)
ui.table(
    reference.colonnes_refusees().rename(
        columns={"colonne": "Colonne refusée", "contenu": "Contenu", "tables": "Tables concernées"}
    ),
    filename="colonnes_refusees",
)
st.caption("Les noms de colonnes sont comparés sans majuscules ni accents (« Prénom » = prenom).")
st.subheader("La pseudonymisation à l'entrée")
st.markdown(pseudonyme.METHODOLOGIE)

# --- Territory ----------------------------------------------------------------------------------------
st.header("Le territoire")
st.markdown(
    "Mauges Communauté (SIREN 200060010) réunit six communes nouvelles, nées en 2015–2016 de la fusion de 64 "
    "communes, devenues communes déléguées. Les données sont rattachées par **code INSEE**, jamais par code "
    "postal (plusieurs communes déléguées partagent un code postal). Le collectif travaille aussi dans la CC "
    "Loire Layon Aubance et Cholet Agglomération."
)
territoire = view.call(reference.communes_nouvelles)
ui.table(
    territoire.rename(
        columns={
            "code": "Code INSEE",
            "nom": "Commune nouvelle",
            "population": "Population municipale",
            "communes_deleguees": "Communes déléguées",
        }
    ),
    filename="communes_nouvelles",
    formats={"Population municipale": fmt.integer, "Communes déléguées": fmt.integer},
)
anciens = view.call(reference.codes_anciens)
st.markdown(
    "**Piège du code 49069** : c'était le code d'Orée d'Anjou, devenu 49126 ; 49069 est aujourd'hui le code de "
    "la commune déléguée Champtoceaux. Un code 49069 dans les données est donc rattaché à Orée d'Anjou "
    "(49126). Les exports qui ont perdu le zéro initial ou stocké le code comme un nombre sont corrigés."
)
with st.expander(f"Anciens codes INSEE acceptés ({fmt.integer(len(anciens))})"):
    ui.table(
        anciens.rename(
            columns={
                "code_ancien": "Ancien code",
                "code_actuel": "Code actuel",
                "nom_actuel": "Commune actuelle",
            }
        ),
        filename="codes_anciens",
    )

# --- How to read -------------------------------------------------------------------------------------
st.header("Comment lire les chiffres")
st.caption(f"Exemples tirés des données chargées, pour la sélection : {sidebar.filters_summary(ctx)}.")
k = view.call(kpis, f)
periode = fmt.period(f.annee_debut, f.annee_fin)
lectures = [
    (
        f"**{fmt.hours(k['heures_travaillees'])}** en {periode} : la somme des heures travaillées déclarées chaque "
        "mois ; les heures facturées et de formation sont comptées à part et ne s'y ajoutent pas."
    ),
    (
        f"**{ui.people(k['personnes_employees'])} personnes employées** : des personnes distinctes, chacune comptée "
        "une fois même si elle a travaillé dans plusieurs structures ; la somme des personnes de chaque structure "
        "peut donc dépasser ce total."
    ),
]
ex = view.call(reference.exemple_etp, f)
if ex is not None:
    lectures.append(
        f"**{fmt.etp(ex['etp'])}** pour les structures {ex['type']} en {ex['annee']} : "
        f"{fmt.hours(ex['heures_travaillees'])} travaillées ÷ {fmt.hours(ex['base_etp'])} (base d'un temps plein "
        f"{ex['type']} cette année-là). L'ETP total additionne ce calcul pour chaque type"
        + (" et fait la moyenne des années de la période." if f.nb_annees > 1 else ".")
    )
n_dyn = k["sorties_dynamiques"]
N = k["sorties_examinees"]
many = N > 1 or (ctx.masked and privacy.is_small(N))  # a masked count reads in the plural
if k["taux_sortie_dynamique"] is not None and ctx.masked and privacy.reveals(n_dyn, N):
    lectures.append(
        f"**« {privacy.TAUX_MASQUE} »** : sur {ui.people(N)} sorties examinées, les sorties dynamiques ou les "
        f"autres comptent moins de {privacy.SEUIL} personnes ; le taux n'est pas affiché car, avec N, il "
        "permettrait de retrouver ce petit effectif."
    )
elif k["taux_sortie_dynamique"] is not None:
    lectures.append(
        f"**{fmt.percent(k['taux_sortie_dynamique'])} de sorties dynamiques ({ui.people(n_dyn)} / "
        f"{ui.people(N)})** : sur {ui.people(N)} sorties examinées en {periode}, {ui.people(n_dyn)} ont "
        "débouché sur un emploi durable, un emploi de transition ou une sortie positive."
    )
else:
    lectures.append(
        f"**Taux non calculé** : {ui.people(N)} sortie{'s' if many else ''} examinée{'s' if many else ''} "
        f"pour cette sélection, moins de {MIN_SORTIES_TAUX} : trop peu pour qu'un taux soit significatif."
    )
lectures += [
    (
        f"**« {privacy.MASQUE} »** : dans une vue masquée, un effectif de moins de {privacy.SEUIL} personnes "
        "(zéro excepté) ; "
        f"**« {privacy.MASQUE_SECONDAIRE} »** : une case masquée pour qu'on ne puisse pas retrouver un tel "
        "effectif à partir d'un total."
    ),
    (
        "**« — »** : valeur sans objet ou non calculée (taux sous le seuil, sorties d'une structure hors IAE, "
        "chiffre d'affaires avec un filtre de commune, qui n'est pas localisé)."
    ),
    (
        "**Filtre de commune** : les heures sont celles réalisées dans la commune ; les personnes et les sorties "
        "sont celles des habitants de la commune, où qu'ils travaillent."
    ),
]
st.markdown("\n".join(f"- {line}" for line in lectures))

# --- Data contract -----------------------------------------------------------------------------------
st.header("Le contrat de données et les modèles de fichiers")
st.markdown(
    "Pour alimenter le tableau de bord avec de vrais exports, déposez dans un dossier des fichiers CSV qui "
    "suivent le contrat de données (`docs/contrat_donnees.md`), puis lancez "
    "`IMPACT_DATA=/chemin/vers/exports make run`. Chaque modèle ci-dessous est un fichier vide avec la ligne "
    "d'en-tête de la table (`;`, UTF-8, s'ouvre dans Excel)."
)
modeles = reference.modeles()
cols = st.columns(4)
for i, (table, path) in enumerate(modeles.items()):
    with cols[i % 4]:
        st.download_button(
            f"Modèle {table}.csv",
            path.read_bytes(),
            file_name=f"{table}.csv",
            mime="text/csv",
            key=f"modele_{table}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
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
