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

.PHONY: test quick demo demo-cluster lint typecheck unit bench setup clean messages

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

# The web interface's messages: new ones from the templates and code into each language's
# catalog (media_hub/web/locale/LANG/LC_MESSAGES/messages.po), for translators to fill.
# The statistics reports' words likewise, in a domain of their own:
# media_hub/stats/locale/LANG/LC_MESSAGES/stats.po.
messages: $(STAMP)
	$(BIN)/pybabel extract -F media_hub/web/babel.cfg -k N_ --no-location --omit-header \
		-o media_hub/web/locale/messages.pot .
	$(BIN)/pybabel update -i media_hub/web/locale/messages.pot -d media_hub/web/locale \
		--no-fuzzy-matching --width 100
	$(BIN)/pybabel extract -F media_hub/stats/babel.cfg -k N_ --no-location --omit-header \
		-o media_hub/stats/locale/stats.pot .
	$(BIN)/pybabel update -D stats -i media_hub/stats/locale/stats.pot -d media_hub/stats/locale \
		--no-fuzzy-matching --width 100

clean:
	rm -rf $(VENV) demo-hub .pytest_cache .mypy_cache .ruff_cache
