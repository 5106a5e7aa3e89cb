"""What a meeting asks first, computed in the background as soon as a session is masked.

Presentation mode (and the read-only role of elected officials) masks small counts, and the masking of the
exits audits every table of the Sorties page together, for every year its rates print: the first masked Sorties
page of a data version cost the server 2,9 s on the demo (8,5 s at 100 times the demo), each Fiche commune
0,8 s (2 s), the room waiting. When a session turns masked (the presentation toggle, an official's login), a
background thread computes them, once per data version: the Sorties page of the default year (the territory),
each commune's sheet, the Bilan, then the Sorties page of each commune nouvelle (13 s on the demo, 46 s at
100×), through the same cached calls as the pages (impact.view.cached: kept in memory for every session and on
disk beside the database, so that a restart on the same data reads them back, 0,1 s).

Only masked sessions start it: the coordination's normal pages, 30 % slower while it ran, are left alone. The
thread runs at the lowest priority of the system (nice 19); a page asking for masks it is computing waits for
them (sorties._AUDIT) instead of computing them twice. It computes nothing a page would not, and a failure only
leaves the pages to compute their figures themselves. IMPACT_PREFETCH=0 turns it off (the test suites).
"""

from __future__ import annotations

import os
import threading
import time

from streamlit.logger import get_logger

from impact.db import Database
from impact.filters import Filtres

DELAY_S = 3.0  # the page that turned the session masked is drawn first
_STARTED: set[str] = set()
_LOCK = threading.Lock()
log = get_logger(__name__)  # the server's log, at Streamlit's level (logger.level)


def start(db: Database) -> threading.Thread | None:
    """Starts the background computation for this data version, once per process; None when it already ran
    (or runs), or when IMPACT_PREFETCH=0."""
    if os.environ.get("IMPACT_PREFETCH", "1") == "0":
        return None
    with _LOCK:
        if db.version in _STARTED:
            return None
        _STARTED.add(db.version)
    thread = threading.Thread(target=_run, args=(db,), name="impact-prefetch", daemon=True)
    thread.start()
    return thread


def _run(db: Database) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)  # this thread only (Linux)
    except (AttributeError, OSError):
        pass
    time.sleep(DELAY_S)
    began = time.perf_counter()
    try:
        warm(db)
    except Exception:  # a page computes what is missing; the server must not fall for it
        log.exception("calcul d'avance interrompu (les pages calculeront leurs chiffres elles-mêmes)")
    else:
        log.info("calcul d'avance des pages de réunion : %.1f s", time.perf_counter() - began)


def warm(db: Database) -> None:
    """The figures of a meeting's first masked pages, in the order a meeting asks them: the Sorties page of the
    default year (the territory), each commune's sheet, the Bilan, then the Sorties page of each commune, and
    what the sheets read of the other communes."""
    from impact import maps, view
    from impact.indicators import bilan, commune, listes, sorties
    from impact.indicators.core import kpis

    annee = bilan.annee_par_defaut(db)  # the sidebar's default year as well (filters.annee_par_defaut)
    codes = list(view.cached(db, commune.communes))
    view.cached(db, sorties.masques, Filtres.annee(annee))
    for code in codes:
        view.cached(db, commune.fiche, code, annee)
        view.cached(db, maps.commune_dots, code, annee)
    view.cached(db, bilan.bilan, annee)
    for code in codes:
        view.cached(db, sorties.masques, Filtres.annee(annee, communes=(code,)))
    # What a masked Fiche commune reads of the other communes to hide what one of them alone hides
    # (view.fiche_partenaires): each year's key figures, the year's structures.
    for a in listes.annees(db):
        for code in (None, *codes):
            view.cached(db, kpis, Filtres.annee(a, communes=(code,) if code else None))
    for code in codes:
        view.cached(db, commune.structures, code, annee)
