# The two commands: `make demo` and `make test` (`make quick` while working: lint and the
# tests not marked slow). Each sets up what it needs first:
# system packages when missing (with apt-get, as root or through sudo), then a virtualenv.

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTHON ?= $(shell scripts/find-python)
# pytest-xdist workers, one a core; each starts its own PostgreSQL and S3 servers. A test
# file stays on one worker, so its module fixtures are made once. 0: all in this process.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

.PHONY: test quick demo demo-cluster lint typecheck unit bench setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	scripts/install-system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(PYTEST)

quick: $(STAMP) lint
	$(PYTEST) -m "not slow"

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/demo

demo-cluster: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/demo-cluster

bench: $(STAMP)
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

clean:
	rm -rf $(VENV) demo-hub .pytest_cache .mypy_cache .ruff_cache
