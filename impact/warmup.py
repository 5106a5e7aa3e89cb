"""Plotly's code fetched by the browser at the start of a session's first run, not once its first chart arrives.

A session's first run draws before anything else an empty chart, hidden: the browser starts fetching and running
plotly's code (4,7 Mo, about a second on a small laptop) while the server imports pandas and opens the data, in
parallel (a fresh server showed its first figures 0,5 s later without it). The chart is removed before the run
ends; the next runs find plotly loaded. Streamlit only: this module is imported before pandas.
"""

from __future__ import annotations

import streamlit as st

KEY = "_plotly_charge"  # the session's placeholder while it holds the hidden chart, then None


def start() -> None:
    """Draws the hidden chart on a session's first run; nothing on the next ones."""
    if KEY in st.session_state:
        return
    st.html("<style>.st-key-plotly_charge { display: none; }</style>")  # CSS only: takes no room
    slot = st.empty()
    slot.container(key="plotly_charge").plotly_chart({"data": [{"type": "bar"}]})
    st.session_state[KEY] = slot


def end() -> None:
    """Removes the hidden chart. Called before the run ends, and before st.stop() where nothing may be left on
    the page (the login form): after st.stop() the run sends nothing more."""
    slot = st.session_state.get(KEY)
    if slot is not None:
        st.session_state[KEY] = None
        slot.empty()
