"""Sessions of the dashboard without a browser: Streamlit's own protocol (protobuf messages on the websocket
/_stcore/stream), as a browser speaks it. `make bench CHARGE=20` uses them to load the server as 19 people
would, each on their own computer, while one real browser measures its pages (bench/pages.py, charge_salle):
on this 2-core machine, 20 headless browsers would use most of the processor themselves.

A session asks for a page (BackMsg rerun_script with the page's address) and reads every message until the
server says the run is finished (ForwardMsg script_finished); its time is the server's: run, serialisation,
sending. Timings only: the test suite asserts correctness.
"""

from __future__ import annotations

import asyncio
import random
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


async def open_page(ws, page: str) -> tuple[float, list[str]]:
    """Seconds from the request of `page` (its address, "" for the home page) to the end of its run, and the
    problems seen (an exception shown, a page not found, a run that did not finish)."""
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.page_name = page
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    problems = []
    while True:
        fwd = ForwardMsg()
        fwd.ParseFromString(await ws.recv())
        kind = fwd.WhichOneof("type")
        if kind == "page_not_found":
            problems.append(f"page introuvable : {page!r}")
        elif kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
            problems.append(f"exception sur {page!r} : {fwd.delta.new_element.exception.message}")
        elif kind == "script_finished":
            if fwd.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                problems.append(f"{page!r} : fin de script {fwd.script_finished}")
            return time.perf_counter() - t0, problems


async def user(
    base: str, pages: list[str], stop: asyncio.Event, times: list, problems: list, pause: float = 0.0
) -> None:
    """One person moving from page to page in `pages`' order, until `stop` is set: without pause, or reading
    each page about `pause` seconds (between half and one and a half times, so that people do not click
    together)."""
    url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], origin=base, max_size=None) as ws:
        i = 0
        while not stop.is_set():
            seconds, seen = await open_page(ws, pages[i % len(pages)])
            times.append(seconds)
            problems.extend(seen)
            i += 1
            if pause:
                await asyncio.sleep(pause * random.uniform(0.5, 1.5))
