# The two commands: `make run` and `make test`. Everything else is set up by them.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# `make run` is a local development server: SQLite and Whoosh in ./instance.
RUN_ENV := FORUM_ENV=development

.PHONY: run test lint install install-dev migrate seed screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(RUN_ENV) $(BIN)/flask --app forum db upgrade

seed: migrate
	$(RUN_ENV) $(BIN)/flask --app forum seed demo
	$(RUN_ENV) $(BIN)/flask --app forum search sync

run: seed
	$(RUN_ENV) $(BIN)/flask --app forum run --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# PNGs of the key pages at desktop and phone width (needs /usr/bin/chromium).
screenshots: install-dev
	$(BIN)/python -m tests.browser.screenshots

lint: install-dev
	$(BIN)/ruff check forum tests wsgi.py migrations/env.py
	$(BIN)/ruff format --check forum tests wsgi.py migrations/env.py
	$(BIN)/mypy forum

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
