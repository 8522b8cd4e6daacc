# docket: `make run` opens the app, `make test` installs and runs the tests.
# Every install is pinned by constraints.txt (also for build dependencies, through
# PIP_CONSTRAINT), so a fresh machine gets the versions CI tested.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/docket --demo

# the calendar readers the zone tests run through Node (Thunderbird's ical.js), pinned by
# tests/js/package-lock.json
JS := tests/js
JS_STAMP := $(JS)/node_modules/.installed-stamp

$(JS_STAMP): $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $(JS_STAMP)

test: install $(JS_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup -q

# mypy and import-linter see the repository through a `docket` namespace of symlinks,
# the same layout the package installs as.
lint: install
	@mkdir -p .mypy-path/docket
	@for p in tui models exports; do ln -sfn ../../$$p .mypy-path/docket/$$p; done
	$(BIN)/ruff check tui models exports tests bench
	$(BIN)/ruff format --check tui models exports tests bench
	$(BIN)/mypy -p docket.models -p docket.exports -p docket.tui
	PYTHONPATH=.mypy-path $(BIN)/lint-imports

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .mypy-path .mypy_cache .ruff_cache $(JS)/node_modules
