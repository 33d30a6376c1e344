# The two commands of this project:
#   make run    create the virtual environment if needed, install, and run the bot
#   make test   the same install plus the Bot API emulator, then lint, type-check and all tests:
#               the unit tests, then the end-to-end suite twice, on SQLite and on PostgreSQL
#   make unit   only the unit tests (a minute or two; no emulator)
VENV ?= .venv
PYTHON ?= python3
TGEMU_DIR ?= ../shared/tgemu
TGEMU_HOME ?= $(HOME)/.cache/tgemu
PY := $(VENV)/bin/python
# Processes each end-to-end pass is spread over (pytest-xdist): its tests mostly wait on the bot,
# so two halve the time on a two-core machine (CI's). Each has its own emulator (and server).
E2E_WORKERS ?= 2
E2E_ENV = TGEMU_DIR=$(abspath $(TGEMU_DIR)) TGEMU_HOME=$(TGEMU_HOME)

.PHONY: run test test-postgres unit lint emulator

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(PY) -m bot

emulator:
	@if [ ! -d "$(TGEMU_HOME)/node_modules/telegram-test-api" ]; then \
		echo "installing the Bot API emulator into $(TGEMU_HOME)"; \
		mkdir -p "$(TGEMU_HOME)" && cd "$(TGEMU_HOME)" && \
		npm install --silent --no-audit --no-fund telegram-test-api@4.2.1 >/dev/null; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The end-to-end suite on SQLite (every test), then on PostgreSQL: E2E_DATABASE=postgres starts
# a server and gives each bot a database of its own (DATABASE_URL); the tests about the SQLite
# file itself (marked sqlite_only) have nothing to test there.
test: $(VENV)/.installed emulator lint
	$(PY) -m pytest tests/unit
	$(E2E_ENV) $(PY) -m pytest tests/e2e -n $(E2E_WORKERS)
	$(MAKE) --no-print-directory test-postgres

# The end-to-end suite on PostgreSQL alone (the last step of `make test`).
test-postgres: $(VENV)/.installed emulator
	$(E2E_ENV) E2E_DATABASE=postgres $(PY) -m pytest tests/e2e -m "not sqlite_only" \
		-n $(E2E_WORKERS)

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit
