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


def replay(name: str) -> None:
    ctx = get_script_run_ctx()
    for raw in pickle.loads((FOLDER / f"{name}.pickle").read_bytes())["messages"]:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        ctx.enqueue(msg)


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
