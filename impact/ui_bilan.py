"""The blocks of the Bilan annuel page: its own choice of year (the last complete year by default), the key
figures of the year with their change against the previous one, and the comparison table of the three years.
Masking goes through ui (people, rate) and impact.columns.comparaison_affichee, which apply impact/privacy.py."""

from __future__ import annotations

import streamlit as st

from impact import columns, filters, privacy, texts, ui, view
from impact.indicators import bilan
from impact.indicators.bilan import Bilan
from impact.view import Context

KEY_ANNEE = "bilan_annee"
PRINCIPAUX = [
    "heures_travaillees",
    "personnes_employees",
    "salaries_en_parcours",
    "etp",
    "sorties",
    "taux_sortie_dynamique",
    "taux_sortie_emploi_durable",
    "chiffre_affaires",
]


def choix_annee(ctx: Context) -> int:
    """The year of the report: one with two years of data before it when there is one."""
    annees = [a for a in ctx.annees if a - 2 >= ctx.annees[0]] or ctx.annees
    if st.session_state.get(KEY_ANNEE) not in annees:
        defaut = view.call(bilan.annee_par_defaut)
        st.session_state[KEY_ANNEE] = defaut if defaut in annees else annees[-1]
    return st.selectbox(
        "Année du bilan",
        sorted(annees, reverse=True),
        key=KEY_ANNEE,
        placeholder="Choisir une année",
        format_func=lambda a: filters.annee_libelle(a, ctx.db.donnees_au),
        help="Par défaut, la dernière année complète des données.",
        width=320,  # a year: the full width of a projected page was a band of grey
    )


def chiffres_cles(b: Bilan, masked: bool) -> None:
    """The main figures of the year, four a row, each written by its nature, with its change against the
    previous year (none beside a masked figure: with the other year it would give it back)."""
    natures = dict(zip(b.comparaison["indicateur"], b.comparaison["nature"], strict=True))
    libelles = dict(zip(b.comparaison["indicateur"], b.comparaison["libelle"], strict=True))
    for start in range(0, len(PRINCIPAUX), 4):
        cols = st.columns(4)
        for col, key in zip(cols, PRINCIPAUX[start : start + 4], strict=False):
            nature = natures[key]
            v = b.valeur(key)
            if nature == "personnes":  # beside the count it is paired with (privacy.beside)
                shown = ui.people(privacy.beside(b.chiffres(), key, masked))
            elif nature == "taux":
                shown = ui.rate(v, *b.rapport(key))
            else:
                shown = columns.NATURES[nature].text(v)
            hide_delta = masked and shown in (privacy.MASQUE, privacy.TAUX_MASQUE)
            with col:
                ui.metric(libelles[key], shown, key, delta=None if hide_delta else b.ecart_texte(key))


def comparaison(b: Bilan, masked: bool) -> None:
    """The comparison table of the three years, the change of the year against the previous one, and the n/N
    of its rates."""
    st.dataframe(
        columns.comparaison_affichee(b, masked=masked).rename(
            columns={"libelle": "indicateur", "variation": f"variation {b.annee}/{b.annee - 1}"}
        ),
        hide_index=True,
        width="stretch",
        height="content",  # every indicator at once: the rates were under an inner scroll past the tenth line
    )
    st.caption(
        "Variation : évolution relative par rapport à l'année précédente ; pour un taux, écart en points. "
        + texts.rapports_phrase(b, masked=masked)
    )
