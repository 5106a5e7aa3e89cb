"""The serving process's garbage collector: what lives as long as the process is left out of its scans.

Streamlit collects garbage after every script run (`runner.postScriptGC`): a full scan of every Python object
the process holds, about 170 000 once a page has imported streamlit, pandas, plotly and duckdb. That scan cost
0,1–0,2 s of CPU after each run, for every session and every page change, on objects that never die
(modules, classes, functions). `freeze_long_lived()` moves the objects alive at the start of a run out of
those scans (gc.freeze), but only when modules were imported since the last time: the dashboard's imports
settle after its first pages, then nothing more is frozen. At the start of a run the previous run's garbage
has already been collected, so what is frozen is alive (freezing costs no scan: nothing is added to the
page's time); the objects a run creates are collected after the run as before.

Changes when Streamlit's collection after each run, or Python's garbage collector, changes.
"""

from __future__ import annotations

import atexit
import gc
import sys
import threading

_lock = threading.Lock()
_modules_frozen = 0


def freeze_long_lived() -> bool:
    """Freeze the live objects if modules were imported since the last freeze; True when it froze."""
    global _modules_frozen
    if len(sys.modules) <= _modules_frozen:
        return False
    with _lock:
        count = len(sys.modules)
        if count <= _modules_frozen:
            return False
        gc.freeze()
        _modules_frozen = count
        return True


# Frozen objects are never finalised at exit: unfreeze first, so that extension modules (duckdb's nanobind)
# see their objects released and print no "leaked instances" report when the server stops.
atexit.register(gc.unfreeze)
