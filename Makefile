# The only entry points: `make run` and `make test` (plus lint, fmt, bench, e2e helpers).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help setup run test test-tools lint fmt bench clean

# Test workers (pytest-xdist); each has a PostgreSQL database of its own (see tests/conftest.py).
TEST_WORKERS ?= auto
LHC          := tests/interop/lhc
LHC_STAMP    := $(LHC)/node_modules/.installed-stamp

# A shell may turn off writing compiled modules (PYTHONDONTWRITEBYTECODE); then every command,
# server and test worker would compile its imports from source again. Not in these targets.
unexport PYTHONDONTWRITEBYTECODE

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-6s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "spinetrack needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/install_venv.py
	$(BIN)/python tools/warm_bytecode.py
	@$(BIN)/python -c 'import weasyprint' 2>/dev/null || echo "note: the PDF report needs Pango for WeasyPrint: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install spinetrack with its tools

# The demo's outcome model is fitted by the server in the background (about a minute), so the
# first page answers within seconds of `make run`; the risk pages say while it is being fitted.
run: setup ## migrate the database, load the demo clinic once, serve on http://127.0.0.1:8000
	$(BIN)/spinetrack db upgrade
	$(BIN)/spinetrack demo --if-empty --patients 7500 --no-model
	$(BIN)/spinetrack serve --fit-demo-model

lint: setup ## ruff, formatting, mypy and the import-layer contracts
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The virtualenv and the test tools (apt-get, npm) are installed side by side; then lint and the
# test suite run side by side too. Lint is one process at a time (mypy for most of it), so while it
# ran alone before the tests, one core idled; its output is kept in a file and printed after the
# tests', and either failing fails `make test`.
# Setup installs without byte-compiling (uv's default; pip's --no-compile where it falls back to
# pip) and then compiles what spinetrack imports (tools/warm_bytecode.py); anything else is
# compiled when first imported. The tests run with bytecode writing on even where the shell turns
# it off (PYTHONDONTWRITEBYTECODE), or every worker and every `spinetrack serve` the tests start
# would compile the same modules again.
test: ## lint and the whole test suite in parallel (PostgreSQL too when it answers)
	@$(MAKE) --no-print-directory --jobs=2 --output-sync=target setup test-tools
	@log=$$(mktemp); \
	$(MAKE) --no-print-directory lint >"$$log" 2>&1 & lint=$$!; \
	echo "env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --cov --cov-report=term   (lint beside it)"; \
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --cov --cov-report=term; tests=$$?; \
	wait $$lint; linted=$$?; \
	echo "== make lint (ran beside the tests)"; cat "$$log"; rm -f "$$log"; \
	[ $$linted -eq 0 ] || echo "make test: lint failed (exit $$linted)" >&2; \
	[ $$tests -eq 0 ] && [ $$linted -eq 0 ]

$(LHC_STAMP): $(LHC)/package-lock.json
	@tools/ensure-test-tools.sh
	@echo "make test: installing LHC-Forms and Medplum's FHIR schema and validator for the interoperability checks (npm ci in $(LHC), once)"
	cd $(LHC) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

test-tools: ## install (as root) or check Chromium, npm and Pango, then LHC-Forms and Medplum (npm ci)
	@tools/ensure-test-tools.sh
	@$(MAKE) --no-print-directory $(LHC_STAMP)

fmt: setup ## format and auto-fix
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: setup ## run every benchmark script and print its figures
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## remove the virtualenv, caches and the local database
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis
