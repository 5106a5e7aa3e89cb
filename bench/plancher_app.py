"""Streamlit's own floor of the dashboard's pages (bench/plancher.py): each page sends back, as they are, the
messages the dashboard's server sent to draw it, read from $PLANCHER_DIR, with the same menu, and computes
nothing. Served by bench/pages.py beside the dashboard."""

import os
import pickle
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Navigation_pb2 import Navigation
from streamlit.runtime.scriptrunner import get_script_run_ctx

FOLDER = Path(os.environ["PLANCHER_DIR"])


def messages(name: str) -> list[ForwardMsg]:
    out = []
    for raw in pickle.loads((FOLDER / f"{name}.pickle").read_bytes())["messages"]:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        out.append(msg)
    return out


def replay(name: str) -> None:
    ctx = get_script_run_ctx()
    for msg in messages(name):
        if msg.WhichOneof("type") != "page_config_changed":  # set once, before the menu (below)
            ctx.enqueue(msg)


# The page's settings before the menu, as dashboard.py sets them: its icon a file of the repository (the recorded
# one is an address in the dashboard server's media store), else Streamlit would take the page's icon from the
# menu and fetch it from Google's fonts.
config = next(
    m.page_config_changed for m in messages("_accueil") if m.WhichOneof("type") == "page_config_changed"
)
st.set_page_config(
    page_title=config.title or None,
    page_icon="static/favicon.png",
    layout="wide" if config.layout == config.WIDE else "centered",
    initial_sidebar_state="expanded" if config.initial_sidebar_state == config.EXPANDED else "auto",
)
home = pickle.loads((FOLDER / "_accueil.pickle").read_bytes())
sections: dict[str, list] = {}
for entry in home["menu"]:
    name = "_accueil" if entry["default"] else entry["url_path"]
    if not (FOLDER / f"{name}.pickle").exists():
        name = "_accueil"  # a page the benchmark does not open: the home page's copy
    sections.setdefault(entry["section"], []).append(
        st.Page(
            lambda name=name: replay(name),
            title=entry["title"],
            icon=entry["icon"] or None,
            url_path=entry["url_path"] or "accueil",
            default=entry["default"],
            visibility="hidden" if entry["hidden"] else "visible",
        )
    )
position = Navigation.Position.Name(home["position"]).lower()
st.navigation(sections, position=position, expanded=home["expanded"]).run()
