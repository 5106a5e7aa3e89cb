"""The blocks of the Sorties page: the two official exit rates of each group (year, type, structure) as
bars with the table of their n/N. Masking goes through impact/privacy.py (mask_table) and ui."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from impact import charts, filters, fmt, privacy, texts, ui
from impact.indicators import MIN_SORTIES_TAUX, sorties
from impact.view import context


def rate_block(title: str, df: pd.DataFrame, par: str, caption: str, masques: pd.DataFrame | None = None):
    """Rates of each group (par: "annee", "type" or "structure") as bars (groups without a rate carry no bar,
    said in the table), and the table. masques: the counts masked with the other tables of exits
    (sorties.masques()[par], "structure" for par="structure")."""
    x = "structure_nom" if par == "structure" else par
    filename = f"taux_par_{par}"
    forced = None
    if context().masked and not df.empty:
        key = "structure_id" if par == "structure" else par
        forced = None if masques is None else sorties.forced_for(df, key, masques)
        if privacy.retire(df, sorties.TAUX_COUNTS, forced=forced):  # one sentence instead of the block
            ui.empty(privacy.retires_texte(title))
            return
    st.subheader(title)
    if df.empty:
        ui.empty("Aucune sortie de l'IAE pour cette sélection.")
        return
    if context().masked:  # no rate, and no n or N, that gives back a count below SEUIL (n, N − n or N)
        df = privacy.mask_table(df, sorties.TAUX_COUNTS, rates=sorties.TAUX_RATES, forced=forced)
    shown = sorties.avec_taux(df)
    if shown.empty:
        ui.empty(f"Aucun taux : moins de {MIN_SORTIES_TAUX} sorties examinées dans chaque groupe. {caption}")
    else:
        long = sorties.taux_long(shown, x)
        if par == "annee":  # the year being recorded says so under its bars, as on every chart of years
            long[x] = [filters.annee_axe(int(a), context().db.donnees_au) for a in long[x]]
        kw = {"color": "taux", "stacked": False, "value_fmt": fmt.percent, "y_title": "taux"}
        if par == "structure":  # a row per structure (long names); the largest ones when they are many
            height = charts.bars_height(long, x, 320, per_bar=56)
            fig = charts.percent_axis(charts.hbars(long, x, "valeur", height=height, **kw), "x")
        else:
            fig = charts.percent_axis(charts.bars(long, x, "valeur", **kw), "y")
        ui.plot(fig, key=f"fig_{filename}")
        sans, masques = sorties.sans_taux(df, x), sorties.taux_masques(df, x)
        st.caption(
            caption
            + " "
            + texts.SANS_TAUX_TABLEAUX
            + (f" Sans taux pour cette raison : {', '.join(sans)}." if sans else "")
            + (f" Taux {privacy.TAUX_MASQUE} : {masques}." if masques else "")
        )

    def values():
        ui.table(sorties.tableau_taux(df, par), filename=filename, count_columns=sorties.TAUX_COUNT_COLUMNS)

    if shown.empty:  # no chart: the table is all there is to read
        values()
    else:
        ui.lazy_expander("Voir le tableau des valeurs (n/N de chaque taux)", f"voir_{filename}", values)
