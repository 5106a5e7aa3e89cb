"""The blocks of the map page: its settings (indicator, level, colour of the points, bound to the address) and
the map itself (communes shaded by the indicator, interventions and head offices as points), whose click
filters the whole dashboard (impact.sidebar.communes_from_map). The figure is built by impact.maps."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from impact import geo, maps, sidebar, ui, view
from impact.indicators import territoire
from impact.view import Context

NIVEAU_PAR_LABEL = {label: key for key, label in territoire.NIVEAUX.items()}
INDICATEUR_PAR_LABEL = {ind.label: key for key, ind in territoire.INDICATEURS.items()}
COULEURS = {"Activité": "activite", "Marché ou partenariat": "marche"}


@dataclass(frozen=True)
class Reglages:
    niveau: str  # "nouvelle" or "deleguee"
    indicateur: territoire.Indicateur
    couleur: str  # of the points: "activite" or "marche"
    couleur_label: str


def reglages(presentation: bool) -> Reglages:
    """The map's three settings; in presentation mode the map comes right after the title and its settings
    wait in a closed box."""
    box = st.expander("Réglages de la carte", icon=":material/tune:") if presentation else st.container()
    with box:
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
    return Reglages(
        NIVEAU_PAR_LABEL[niveau_label],
        territoire.INDICATEURS[INDICATEUR_PAR_LABEL[indicateur_label]],
        COULEURS[couleur_label],
        couleur_label,
    )


def dessiner(
    ctx: Context,
    communes: pd.DataFrame,
    sieges: pd.DataFrame,
    r: Reglages,
    noms: dict[str, str],
) -> int:
    """The map: communes of the level shaded by the indicator (masked in a masked view), the interventions
    and head offices; a click on a commune filters the dashboard to it (noms: code -> the filter's label).
    Returns the number of dots drawn for the interventions (fewer when they share dots, maps.dots)."""
    f = ctx.filtres
    dots = view.call(maps.interventions_dots, f, r.couleur, r.couleur_label)
    spec = maps.choropleth(
        geo.geojson(r.niveau),
        communes,
        column=r.indicateur.colonne,
        label=r.indicateur.label,
        unit=r.indicateur.unite,
        presentation=ctx.masked,
        selected=f.communes or (),
        outlines=geo.geojson("nouvelle") if r.niveau == "deleguee" else None,
        # In presentation mode the colour bar stands beside the map (legend_below): on the first screen.
        width=maps.MAP_WIDTH_PRESENTATION_PX - maps.BAR_BESIDE_PX if ctx.presentation else maps.MAP_WIDTH_PX,
        height=720 if ctx.presentation else 780,
        clear_of=maps.name_clearance(dots, sieges),
    )
    maps.add_interventions(spec, dots, legend_title=r.couleur_label)
    maps.add_sieges(spec, sieges)
    maps.legend_below(spec, bar_beside=ctx.presentation)
    # A new key when the filter or level changes: the selection of the previous map does not linger.
    map_key = f"carte_{r.niveau}_{'_'.join(f.communes or ('toutes',))}"
    ui.plot(
        maps.figure(spec),
        key=map_key,
        on_select=functools.partial(sidebar.communes_from_map, map_key, noms),
        selection_mode="points",  # no zoom: the names of the communes stay on them (maps.names_trace)
    )
    return len(dots)
