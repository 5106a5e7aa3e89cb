"""The floor of a Streamlit page: a one-line app served by the same python, measured beside the dashboard."""

import streamlit as st

st.write("Bonjour")
