# Every target creates .venv on first use and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest fuzz clean

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

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# The property tests of the loader, date and filter parsers, long: FUZZ_EXAMPLES
# examples each (default 20000).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py tests/test_dates.py tests/test_query.py -q -p no:randomly --hypothesis-show-statistics

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
