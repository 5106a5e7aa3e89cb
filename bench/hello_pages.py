"""The floor of a page change inside an app: two one-line pages in Streamlit's own menu (in the top bar, as the
dashboard's), measured beside the dashboard's page changes (a click in the menu, as a user moves; the browser
keeps the app loaded)."""

import streamlit as st

# Each page shows its title, as the dashboard's do, so that the benchmark sees which page is shown.
pages = [st.Page(lambda: st.title("Un"), title="Un", url_path="un", default=True)]
pages.append(st.Page(lambda: st.title("Deux"), title="Deux", url_path="deux"))
st.navigation(pages, position="top").run()  # the menu stands where the dashboard's does
