"""Plotly's code fetched by the browser while a freshly started dashboard imports its modules.

The first run of a fresh server spends its first half second importing pandas and the dashboard's modules,
before any figure. During that time it draws an empty chart, hidden: the browser fetches and runs plotly's code
(4,7 Mo, about a second on a small laptop) in parallel, instead of once the first chart arrives (the first
figures came 0,5 s later without it). The chart is removed as soon as the imports are done, before anything
else is drawn. A server whose modules are loaded already skips it: its runs are short, and the browser would
receive the chart and its removal at once. Streamlit only: this module is imported before pandas.
"""

from __future__ import annotations

import sys

import streamlit as st

# A module the dashboard imports first (it brings pandas): loaded means the process is warm.
MARKER = "impact.chrome"


def start():
    """The hidden chart's placeholder on a cold process (to give to end()), None otherwise."""
    if MARKER in sys.modules:
        return None
    st.html("<style>.st-key-plotly_charge { display: none; }</style>")  # CSS only: takes no room
    slot = st.empty()
    slot.container(key="plotly_charge").plotly_chart({"data": [{"type": "bar"}]})
    return slot


def end(slot) -> None:
    """Removes the hidden chart (after the imports)."""
    if slot is not None:
        slot.empty()
