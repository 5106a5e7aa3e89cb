"""Carte des interventions: communes coloured by an indicator, interventions and head offices as points.

Clicking a commune (or an intervention) on the map, or choosing one in the list, sets the sidebar filter
"Communes nouvelles" for the whole dashboard. That filter's widget already exists when this page runs, so the
change is made in widget callbacks, which Streamlit runs before the next script run (before the sidebar).
"""

import functools

import pandas as pd
import streamlit as st

from impact import fmt, geo, maps, privacy, sidebar, ui, view
from impact.indicators import territoire

ctx = sidebar.page_header(
    "Carte des interventions",
    "Où le collectif travaille et où habitent les personnes qu'il emploie, commune par commune.",
)
f = ctx.filtres
NOM_PAR_CODE = dict(ctx.communes)  # the six communes nouvelles: code -> name (the filter's labels)


def _filter_to(codes: list[str]) -> None:
    """Filter the dashboard to the communes nouvelles of these codes; say so when a code is not one of them."""
    names = list(dict.fromkeys(NOM_PAR_CODE[c] for c in codes if c in NOM_PAR_CODE))
    if names:
        st.session_state["communes"] = names
    elif codes:
        st.session_state["carte_message"] = (
            "Cette commune n'est pas dans Mauges Communauté : le filtre « Communes nouvelles » ne la propose pas."
        )


def _on_map_select(key: str) -> None:
    state = st.session_state.get(key) or {}
    points = (state.get("selection") or {}).get("points") or []
    codes = []
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple) and len(custom) > 1 and custom[1]:
            codes.append(str(custom[1]))
    _filter_to(codes)


def _on_list_select() -> None:
    name = st.session_state.get("carte_liste")
    if name:
        st.session_state["communes"] = [name]
    st.session_state["carte_liste"] = None


def de(words: str) -> str:
    """ "de personnes", "d'heures", "d'interventions" (French elision)."""
    return f"d'{words}" if words[:1].lower() in "aeéèiouyh" else f"de {words}"


def _jour(d) -> str:
    return fmt.day(d) if pd.notna(d) else "en cours"


def _clear_filter() -> None:
    st.session_state["communes"] = []


NIVEAU_PAR_LABEL = {label: key for key, label in territoire.NIVEAUX.items()}
INDICATEUR_PAR_LABEL = {ind.label: key for key, ind in territoire.INDICATEURS.items()}
COULEURS = {"Activité": "activite", "Marché ou partenariat": "marche"}

# Presentation mode: the map comes right after the title; its settings wait in a closed box.
reglages = st.expander("Réglages de la carte", icon=":material/tune:") if ctx.presentation else st.container()
with reglages:
    indicateur_label = st.segmented_control(
        "Couleur des communes",
        list(INDICATEUR_PAR_LABEL),
        default=territoire.INDICATEURS["heures"].label,
        required=True,
        key="indicateur",
        bind="query-params",
    )
    left, right = st.columns(2)
    with left:
        niveau_label = st.segmented_control(
            "Découpage",
            list(NIVEAU_PAR_LABEL),
            default=territoire.NIVEAUX["nouvelle"],
            required=True,
            key="niveau",
            bind="query-params",
        )
    with right:
        couleur_label = st.segmented_control(
            "Couleur des points",
            list(COULEURS),
            default="Activité",
            required=True,
            key="points",
            bind="query-params",
            help="Chaque point est une intervention active sur la période ; sa taille suit ses heures.",
        )
niveau = NIVEAU_PAR_LABEL[niveau_label]
indicateur = territoire.INDICATEURS[INDICATEUR_PAR_LABEL[indicateur_label]]
couleur = COULEURS[couleur_label]

communes = view.call(territoire.par_commune, f, niveau)
points = view.call(territoire.interventions, f)
sieges = view.call(territoire.sieges, f)
hors = view.call(territoire.hors_carte, f, niveau)

if "carte_message" in st.session_state:
    st.warning(st.session_state.pop("carte_message"))

periode = fmt.period(f.annee_debut, f.annee_fin)
st.subheader(f"{indicateur.label} par commune, {periode}")
nothing = communes[["heures", "interventions", "personnes"]].to_numpy().sum() == 0 and points.empty
if nothing:
    ui.empty()
    st.stop()

explication = (
    f"Plus la commune est foncée, plus elle compte {de(indicateur.unite)} : la carte montre "
    f"{indicateur.definition}. Les points sont les interventions actives sur la période (taille selon leurs "
    "heures, couleur selon "
    + ("l'activité" if couleur == "activite" else "le marché ou partenariat")
    + ") ; "
    "les anneaux noirs sont les sièges des structures. Cliquez sur une commune pour filtrer tout le tableau "
    "de bord sur elle."
)
if not ctx.presentation:
    st.markdown(explication)
fig = maps.choropleth(
    geo.geojson(niveau),
    communes,
    column=indicateur.colonne,
    label=indicateur.label,
    unit=indicateur.unite,
    presentation=ctx.masked,
    selected=f.communes or (),
    outlines=geo.geojson("nouvelle") if niveau == "deleguee" else None,
    width=maps.MAP_WIDTH_PRESENTATION_PX if ctx.presentation else maps.MAP_WIDTH_PX,
    height=720 if ctx.presentation else 780,
)
maps.add_interventions(fig, points, color=couleur, legend_title=couleur_label)
maps.add_sieges(fig, sieges)
maps.legend_below(fig)
# A new key when the filter or level changes: the selection of the previous map does not linger.
map_key = f"carte_{niveau}_{'_'.join(f.communes or ('toutes',))}"
ui.plot(
    fig,
    key=map_key,
    on_select=functools.partial(_on_map_select, map_key),
    selection_mode="points",  # no zoom: the names of the communes stay on them (maps.add_names)
)

if ctx.presentation:
    st.markdown(explication)
notes = [geo.source_label() + "."]
sans_gps = int((points["position"] == territoire.POSITION_COMMUNE).sum()) if not points.empty else 0
if sans_gps:
    notes.append(
        f"{fmt.plural(sans_gps, 'intervention')} sans point GPS "
        f"{'sont placées' if sans_gps > 1 else 'est placée'} dans leur commune, à un endroit approximatif."
    )
if hors["heures"] > 0:
    notes.append(
        f"{fmt.hours(hors['heures'])} travaillées hors intervention (sans lieu connu) ne sont pas sur la carte."
    )
if hors["personnes"] > 0:
    one = hors["personnes"] == 1 and not ctx.masked  # a masked count reads in the plural ("1" stays hidden)
    notes.append(
        f"{ui.people(hors['personnes'])} "
        + ("personne employée habitant" if one else "personnes employées habitant")
        + " hors des communes dessinées ou sans commune de résidence connue "
        + ("n'est" if one else "ne sont")
        + " pas sur la carte."
    )
if ctx.masked and indicateur.colonne == "personnes":
    notes.append(
        f"En gris : commune dont l'effectif (moins de {privacy.SEUIL} personnes, ou case masquée pour qu'un "
        "total ne le redonne pas) est masqué."
    )
notes.append(
    "Les communes voisines (Loire Layon Aubance, Agglomération du Choletais) sont dessinées quand le collectif "
    "y a travaillé sur la période. Les sièges ne suivent pas le filtre de commune."
)
st.caption(" ".join(notes))

pick, clear = st.columns([3, 2], vertical_alignment="bottom")
with pick:
    st.selectbox(
        "Ou choisissez une commune nouvelle pour filtrer tout le tableau de bord",
        list(NOM_PAR_CODE.values()),
        index=None,
        key="carte_liste",
        placeholder="Choisir une commune…",
        on_change=_on_list_select,
    )
with clear:
    if f.communes:
        st.button("Revenir à toutes les communes", on_click=_clear_filter, icon=":material/filter_alt_off:")

with st.expander("Voir le tableau des valeurs", expanded=False):
    shown = communes.drop(columns=["code_commune_nouvelle"])
    if niveau == "nouvelle":
        shown = shown.drop(columns=["commune_nouvelle"])
    ui.table(
        shown.rename(
            columns={
                "code_insee": "code INSEE",
                "commune": "commune",
                "commune_nouvelle": "commune nouvelle",
                "epci": "EPCI",
                "population": "population",
                "heures": "heures réalisées",
                "interventions": "interventions",
                "personnes": "personnes résidentes employées",
                "heures_1000_hab": "heures pour 1 000 habitants",
            }
        ),
        filename=f"carte_{niveau}_{f.annee_debut}_{f.annee_fin}",
        count_columns=["personnes résidentes employées"],
        formats={
            "population": fmt.integer,
            "heures réalisées": fmt.number,
            "interventions": fmt.integer,
            "heures pour 1 000 habitants": lambda v: fmt.number(v, 1),
        },
        key="dl_carte_communes",
    )

with st.expander("Voir la liste des interventions de la carte", expanded=False):
    if points.empty:
        ui.empty("Aucune intervention active sur la période avec ces filtres.")
    else:
        ui.table(
            points[
                [
                    "intervention_id",
                    "structure_nom",
                    "activite",
                    "marche",
                    "lieu",
                    "commune",
                    "position",
                    "date_debut",
                    "date_fin",
                    "heures",
                ]
            ].rename(
                columns={
                    "intervention_id": "intervention",
                    "structure_nom": "structure",
                    "activite": "activité",
                    "marche": "marché ou partenariat",
                    "date_debut": "début",
                    "date_fin": "fin",
                    "heures": "heures sur la période",
                }
            ),
            filename=f"carte_interventions_{f.annee_debut}_{f.annee_fin}",
            formats={
                "heures sur la période": fmt.number,
                "début": _jour,
                "fin": _jour,
                "lieu": lambda v: v if isinstance(v, str) else "",
            },
            key="dl_carte_interventions",
        )
