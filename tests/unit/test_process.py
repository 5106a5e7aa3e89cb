"""impact.process: objects alive when modules were imported are left out of the collection after each run,
garbage made later is still collected."""

import gc
import sys
import types
import weakref

from impact import process


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_freezes_once_per_new_import_and_later_garbage_is_still_collected(monkeypatch):
    process.freeze_long_lived()  # whatever this process imported so far
    assert not process.freeze_long_lived()  # nothing new imported: nothing more is frozen

    kept = Node()
    monkeypatch.setitem(sys.modules, "_impact_module_importe_plus_tard", types.ModuleType("m"))
    frozen_before = gc.get_freeze_count()
    assert process.freeze_long_lived()
    assert gc.get_freeze_count() > frozen_before
    # A live object of that moment is frozen: a collection no longer scans it.
    assert not any(o is kept for o in gc.get_objects())

    # Garbage made after the freeze is collected as before (what Streamlit's collection after a run is for).
    dead = Node()
    ref = weakref.ref(dead)
    del dead
    gc.collect()
    assert ref() is None
