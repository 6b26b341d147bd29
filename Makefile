# Every target creates .venv on first use and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest fuzz bench mutate snapshots clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/timeline

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check tui tests bench
	$(BIN)/ruff format --check tui tests bench
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# The property tests of the loader, date and filter parsers, long: FUZZ_EXAMPLES
# examples each (default 20000).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/model/test_fuzz.py tests/model/test_dates.py tests/model/test_query.py -q -p no:randomly --hypothesis-show-statistics

# Mutation testing (mutmut) of the model and output layers: the score per module and
# every surviving mutant. MUTATE names the modules of tui/ (default: those below);
# a second run tests only new, changed or surviving mutants. Not part of `make test`.
MUTATE ?= model.dates model.query model.validation output.render output.markdown formats.table formats.timeline
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet "mutmut>=3.8,<4"
	$(BIN)/python tests/mutation.py $(MUTATE)

# Rewrite the SVG snapshots after a deliberate change of look: review the pictures,
# and commit them only in a commit that says what changed on screen and why.
snapshots: $(STAMP)
	$(BIN)/pytest tests/app/test_screens_svg.py --snapshot-update -q

# Scale benchmarks against jq and VisiData (installed here if missing; a peer
# that can't be installed is reported as skipped). BENCH_SIZE events, default 1M.
BENCH_SIZE ?= 1000000
# The evaluators side by side (bench/stores.py) and `print` against its peer on each
# shape (bench/shapes.py): five shapes of STORES_SIZE events.
STORES_SIZE ?= 100000
bench: $(STAMP)
	command -v jq >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq jq >/dev/null; } || echo "jq not installed: skipped"
	$(BIN)/python -m pip install --quiet "visidata>=3,<4" || echo "VisiData not installed: skipped"
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/run.py --size $(BENCH_SIZE)
	$(BIN)/python bench/app_keys.py --size $(BENCH_SIZE)
	$(BIN)/python bench/index.py --size $(BENCH_SIZE)
	$(BIN)/python bench/dupes.py
	$(BIN)/python bench/stores.py --size $(STORES_SIZE)
	$(BIN)/python bench/shapes.py --size $(STORES_SIZE)
	$(BIN)/python bench/app_keys.py --size $(STORES_SIZE) --shape bare acled parquet table
	$(BIN)/python bench/index.py --size $(STORES_SIZE) --shape bare acled parquet table
	$(BIN)/python bench/snapshot.py --size $(BENCH_SIZE) --shape ours bare acled parquet table
	$(BIN)/python bench/ten_million.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache mutants
