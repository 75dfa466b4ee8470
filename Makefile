# The two commands: `make demo` and `make test`. Each sets up what it needs first:
# system packages when missing (with apt-get, as root or through sudo), then a virtualenv.

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTHON ?= $(shell scripts/find-python)

.PHONY: test demo demo-cluster lint typecheck unit bench setup clean

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
	$(BIN)/pytest

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/demo

demo-cluster: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/demo-cluster

bench: $(STAMP)
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

clean:
	rm -rf $(VENV) demo-hub .pytest_cache .mypy_cache .ruff_cache
