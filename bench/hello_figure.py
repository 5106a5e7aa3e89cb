"""The floor of a restart to a first figure: a fresh server whose page shows one key figure and one plotly
chart (the dashboard's first screen is made of both), measured beside the dashboard's restarts."""

import plotly.graph_objects as go
import streamlit as st

st.metric("Heures travaillées", "4 500 h", border=True)
st.plotly_chart(go.Figure(go.Bar(x=["2024", "2025"], y=[4200, 4500])))
