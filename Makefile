# The two commands of this project:
#   make run    create the virtual environment if needed, install, and run the bot
#   make test   the same install plus the Bot API emulator, then lint, type-check and all tests
#   make unit   only the unit tests (seconds; no emulator)
VENV ?= .venv
PYTHON ?= python3
TGEMU_DIR ?= ../shared/tgemu
TGEMU_HOME ?= $(HOME)/.cache/tgemu
PY := $(VENV)/bin/python

.PHONY: run test unit lint emulator

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

test: $(VENV)/.installed emulator lint
	TGEMU_DIR=$(abspath $(TGEMU_DIR)) TGEMU_HOME=$(TGEMU_HOME) $(PY) -m pytest

unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit
