# Trygghetskartan — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8501
# Only this machine by default; `make run ADDRESS=0.0.0.0` listens on every interface.
ADDRESS ?= localhost

.PHONY: run test bench fuzz mutation lint format setup setup-dev db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml node_modules/.installed
	$(BIN)/pip install -q -r requirements.txt
	touch $@

# The map's npm packages (package.json): the PMTiles reader and the demo's land outline.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

db: setup
	$(BIN)/trygg init
	$(BIN)/trygg demo --if-empty

run: db
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT) --server.address $(ADDRESS)

test: setup-dev
	$(BIN)/ruff check src dashboard tests geodata surveys benchmarks
	$(BIN)/python -m pytest

# The large fuzz run (README: Robusthet): FUZZ_EXAMPLES hypothesis files, every hostile
# file through every importer and on the command line.
FUZZ_EXAMPLES ?= 10000
fuzz: setup-dev
	TRYGG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py -s -p no:cacheprovider

# Plants faults in the numbers (Wald interval, rate per 100, previous year off by one,
# no Kish n) in a copy of src/ and requires a test to fail for each (README: Prestanda).
mutation: setup-dev
	$(BIN)/python tests/mutation_check.py

bench: setup-dev
	$(BIN)/python -m pytest benchmarks --benchmark-only -p no:cacheprovider

lint: setup-dev
	$(BIN)/ruff check src dashboard tests geodata surveys benchmarks
	$(BIN)/ruff format --check src dashboard tests geodata surveys benchmarks

format: setup-dev
	$(BIN)/ruff format src dashboard tests geodata surveys
	$(BIN)/ruff check --fix src dashboard tests geodata surveys

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
