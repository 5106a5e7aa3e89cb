"""The floor of a page change inside an app: two one-line pages in Streamlit's own menu, measured beside the
dashboard's page changes (a click in the menu, as a user moves; the browser keeps the app loaded)."""

import streamlit as st

pages = [st.Page(lambda: st.write("Bonjour"), title="Un", url_path="un", default=True)]
pages.append(st.Page(lambda: st.write("Bonjour"), title="Deux", url_path="deux"))
st.navigation(pages).run()
