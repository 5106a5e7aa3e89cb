# Project commands: `make run` (the dashboard on the demo data) and `make test` (the whole suite).
# GNU make; needs Python 3.11+ as `python3` (override with `make PYTHON=python3.11 ...`).

SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
# Test processes for the unit and page tests (pytest-xdist): one per core by default.
TEST_WORKERS ?= auto
# Browser-test processes: each has its own streamlit servers and chromium (they mostly wait on both).
E2E_WORKERS ?= 2
E2E_LOG := artefacts/e2e/pytest.log

.PHONY: run test lint bench clean

# The stamps make pip run again only when a requirements file changed (or the venv is missing).
$(VENV)/.stamp-run: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus est requis (PYTHON=$(PYTHON)).")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt $(VENV)/.stamp-run
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

# The dashboard reads IMPACT_DATA itself (default data/demo): `IMPACT_DATA=/chemin/vers/exports make run`.
run: $(VENV)/.stamp-run
	$(BIN)/python -m streamlit run dashboard.py

# Browser tests need Debian's chromium. As root we install it; otherwise we say so loudly and skip only
# the browser tests, except under CI=true where a missing browser makes the browser tests fail.
# Lint and tests all run even when one fails, so that one run shows every problem.
# Two pytest runs side by side: the browser tests on E2E_WORKERS processes, each sharing one streamlit server (Playwright's
# event loop must never be current in a process that runs an AppTest afterwards, see tests/e2e/conftest.py;
# they mostly wait for the server and the browser), and the unit and page tests spread over the cores
# (pytest-xdist). The browser tests' report is printed after the others. Each run lists its 8 slowest tests:
# where to look first when `make test` grows slower.
test: $(VENV)/.stamp-dev
	@set -uo pipefail; \
	if [ ! -x $(CHROMIUM) ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo ">>> Installation de chromium, fonts-dejavu-core et poppler-utils (apt-get)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    { apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core poppler-utils; } \
	      || echo ">>> apt-get a échoué"; \
	  fi; \
	fi; \
	if [ ! -x $(CHROMIUM) ]; then \
	  echo "##########################################################################"; \
	  echo "#  NAVIGATEUR ABSENT : $(CHROMIUM) introuvable et non installable ici."; \
	  if [ "$${CI:-}" = true ]; then \
	    echo "#  CI=true : les tests navigateur (tests/e2e) vont ÉCHOUER."; \
	  else \
	    echo "#  Les tests navigateur (tests/e2e) sont SAUTÉS. Lancez make test en root"; \
	    echo "#  (ou apt-get install chromium) pour les exécuter."; \
	    export IMPACT_SKIP_BROWSER=1; \
	  fi; \
	  echo "##########################################################################"; \
	fi; \
	status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	mkdir -p artefacts/e2e; \
	echo ">>> Tests navigateur (tests/e2e) lancés en parallèle, journal : $(E2E_LOG)"; \
	$(BIN)/python -m pytest tests/e2e -n $(E2E_WORKERS) --dist loadgroup --durations=8 -o cache_dir=.pytest_cache/e2e >$(E2E_LOG) 2>&1 & e2e_pid=$$!; \
	trap 'kill $$e2e_pid 2>/dev/null' EXIT; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --durations=8 --ignore=tests/e2e || status=1; \
	echo ">>> Tests navigateur (tests/e2e) :"; \
	wait $$e2e_pid || status=1; \
	cat $(E2E_LOG); \
	if [ "$${IMPACT_SKIP_BROWSER:-}" = 1 ]; then echo "### RAPPEL : tests navigateur SAUTÉS (pas de $(CHROMIUM))"; fi; \
	if [ $$status != 0 ]; then echo ">>> make test : ÉCHEC (voir ruff et pytest ci-dessus)"; fi; \
	exit $$status

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Page times in headless chromium as ratios to a hello-world app and to each page's floor (the same elements sent
# by an app that computes nothing, bench/plancher.py), on the demo and on a 100x folder (generated once outside
# the repo), with the first-visit, restart and memory figures.
# `make bench CHARGE=20` adds a meeting of 20 people (19 sessions without a browser, one browser measuring) and 20
# browser sessions at once on the demo (p50/p95); bench/bench.py times
# the loader and each query alone.
BENCH_DIR ?= /tmp/impact_bench_x100
CHARGE ?= 0
bench: $(VENV)/.stamp-dev
	@test -d $(BENCH_DIR) || $(BIN)/python -m impact demo $(BENCH_DIR) --seed 2026 --scale 100
	$(BIN)/python bench/pages.py --dossier data/demo --dossier $(BENCH_DIR) --charge $(CHARGE)

# Leaves .venv alone: rebuilding it needs the package index.
clean:
	rm -rf .pytest_cache .ruff_cache artefacts
