"""Times loading and every query on the demo data and on a generated 100x folder (`make bench`).

Usage: python bench/bench.py [--scale 100] [--annee 2025] [--repeat 3]
Prints one line per step with the median time; the test suite asserts correctness, not these timings.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from impact import DEMO_DIR, QUERIES_DIR
from impact.db import PARAM_RE, Database, query_text
from impact.filters import Filtres
from impact.indicators import kpis
from impact.load import load_folder


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def bench_folder(label: str, folder: Path, annee: int, repeat: int) -> None:
    print(f"\n== {label} : {folder}")
    t_load, result = timed(lambda: load_folder(folder), 1)
    assert result.ok, [str(p) for p in result.errors[:5]]
    rows = sum(f["lignes"] for f in result.files)
    print(f"{'chargement + validation':40} {t_load:8.2f} s   ({rows:,} lignes)".replace(",", " "))
    t_db, db = timed(lambda: Database(result), 1)
    print(f"{'base DuckDB':40} {t_db:8.2f} s")
    f = Filtres.annee(annee)
    base = f.params()
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        name = path.stem
        if name.startswith("_"):
            continue
        wanted = set(PARAM_RE.findall(query_text(name)))
        extra = wanted - set(base)
        if extra:  # a query with its own parameters: the benchmark cannot guess them
            print(f"{name:40} {'—':>8}     (paramètres propres : {', '.join(sorted(extra))})")
            continue
        t, df = timed(lambda name=name: db.run(name, **base), repeat)
        print(f"{name:40} {t * 1000:8.1f} ms  ({len(df)} lignes)")
    t, _ = timed(lambda: kpis(db, f), repeat)
    print(f"{'kpis (toutes les requêtes clés)':40} {t * 1000:8.1f} ms")


def bench_pages(folder: Path, annee: int) -> None:
    """Render time of every page (Streamlit AppTest: the script run, without the browser's drawing)."""
    import os

    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    os.environ["IMPACT_DATA"] = str(folder)
    os.environ.setdefault("IMPACT_STATE", tempfile.mkdtemp())
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=600)
    at.query_params["periode"] = [str(annee), str(annee)]
    t0 = time.perf_counter()
    at.run()
    print(f"{'page Vue d’ensemble (1er affichage, chargement compris)':56} {time.perf_counter() - t0:8.2f} s")
    for page in sorted((root / "pages").glob("*.py")):
        t0 = time.perf_counter()
        at.switch_page(f"pages/{page.name}")
        at.run()
        status = "ERREUR" if at.exception else ""
        print(f"{'page ' + page.stem:56} {time.perf_counter() - t0:8.2f} s {status}")


def main() -> int:
    parser = argparse.ArgumentParser(description=inspect.getdoc(sys.modules[__name__]))
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--annee", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", action="store_true", help="mesure aussi le temps de rendu de chaque page")
    args = parser.parse_args()
    bench_folder("données de démonstration", DEMO_DIR, args.annee, args.repeat)
    if args.pages:
        bench_pages(DEMO_DIR, args.annee)
    if args.scale > 1:
        from impact.demo import generate

        with tempfile.TemporaryDirectory() as tmp:
            big = Path(tmp) / f"demo_x{args.scale}"
            t0 = time.perf_counter()
            generate(big, seed=2026, scale=args.scale)
            print(f"\n(génération du dossier {args.scale}x : {time.perf_counter() - t0:.1f} s)")
            bench_folder(f"dossier généré {args.scale}x", big, args.annee, args.repeat)
            if args.pages:
                bench_pages(big, args.annee)
    return 0


if __name__ == "__main__":
    sys.exit(main())
