# Two commands for a newcomer: `make run` starts the service, `make test` runs every test.
# Both build .venv from this repository's own files first, and check the system packages they
# need (installing them as root on Debian; see scripts/install-system-packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SYSTEM_PACKAGES := PYTHON=$(PYTHON) scripts/install-system-packages

.PHONY: run test lint format bench schema clean

$(STAMP): pyproject.toml
	@$(SYSTEM_PACKAGES) venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	@$(SYSTEM_PACKAGES) run
	$(BIN)/opsmaturity serve

# scoring/ is the core every figure comes from: its branch coverage must stay near 100%.
test: $(STAMP)
	@$(SYSTEM_PACKAGES) test
	$(BIN)/pytest --cov=scoring --cov-branch --cov-report=term:skip-covered --cov-fail-under=95

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python -m bench.scoring_bench
	$(BIN)/python -m bench.api_bench
	$(BIN)/python -m bench.report_bench
	$(BIN)/python -m bench.load_bench

schema: $(STAMP)
	$(BIN)/opsmaturity schema --write questionnaires/schema

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
