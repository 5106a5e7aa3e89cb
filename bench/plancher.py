"""Streamlit's own floor for each page of the dashboard: the same elements, without the dashboard's work.

`record` asks the dashboard's server for a page over Streamlit's own protocol (bench/salle.py) and keeps every
message that draws it: the page settings, each element and block with its place (delta path), and the menu.
bench/plancher_app.py is a Streamlit app that sends those messages back as they are, from a file, with nothing
computed: no data, no query, no chart or table built. Served beside the dashboard in the same run, a page of it
costs what Streamlit and the browser need to draw those very elements; the dashboard's page time over its
floor's is what the dashboard's own code adds (bench/pages.py prints both ratios).

What the copy cannot carry: files the dashboard's server keeps for a page (images and downloads are addresses
into its media store, absent from the copy's server: the browser asks and gets 404 at once), and what a page
draws after its run (none here: every element comes with its run). Timings only.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The messages a run sends that draw something: the page's settings and menu, then each element or block.
KEPT = ("page_config_changed", "navigation", "delta", "logo")


async def record(base: str, page: str) -> dict:
    """The messages that draw `page` (its address, "" for the home page) on the server at `base`: a fresh
    session, so that every message comes whole (never as a reference to one the browser already holds)."""
    url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], origin=base, max_size=None) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        kept, menu = [], None
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "script_finished":
                break
            if kind == "navigation":
                menu = [
                    {
                        "title": p.page_name,
                        "icon": p.icon,
                        "url_path": p.url_pathname,
                        "section": p.section_header,
                        "default": p.is_default,
                        "hidden": p.is_hidden,
                    }
                    for p in fwd.navigation.app_pages
                ]
                position = fwd.navigation.position
                expanded = fwd.navigation.expanded
            elif kind in KEPT:
                kept.append(fwd.SerializeToString())
        if menu is None:
            return {"messages": kept, "menu": []}
        return {"messages": kept, "menu": menu, "position": position, "expanded": expanded}


def save(recordings: dict[str, dict], folder: Path) -> None:
    """One file per page (its address), read by bench/plancher_app.py."""
    folder.mkdir(parents=True, exist_ok=True)
    for page, rec in recordings.items():
        (folder / f"{page or '_accueil'}.pickle").write_bytes(pickle.dumps(rec))
