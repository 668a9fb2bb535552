# The two commands: `make run` and `make test`. Everything else is set up by them.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# `make run` is a local development server: SQLite and Whoosh in ./instance.
RUN_ENV := FORUM_ENV=development

.PHONY: run test lint install install-dev migrate seed screenshots bench bench-quick search-eval similar-eval clean

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

# The load benchmark (bench/): a deterministic data set, the index, SQL statements per page,
# search engines outside HTTP, then gunicorn (2 workers) driven by wrk against two ceiling
# apps. Results in bench/results/; `bench-quick` uses a tenth of the content.
WRK := command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

bench: install
	$(WRK)
	$(BIN)/python -m bench.run --size full

bench-quick: install
	$(WRK)
	$(BIN)/python -m bench.run --size quick

# Search quality: MedQuAD imported with `flask import qa`, MEDIQA 2019 questions, nDCG@10 and
# recall@10 of Whoosh (and PostgreSQL when FORUM_TEST_DATABASE_URL is set) against SQLite
# FTS5 BM25. Reads bench/data/ (shipped); writes bench/results/search-eval.md. About 10
# minutes; EVAL_ARGS="--rows 300 --max-queries 20" is a quick check (written to instance/).
search-eval: install
	$(BIN)/python -m bench.search_eval $(EVAL_ARGS)

# "Similar questions" (the composer's list) on the MEDIQA entailment pairs: hit@5 and MRR@5,
# against the search page's first five. Writes bench/results/similar-eval.md. About 2 minutes.
similar-eval: install
	$(BIN)/python -m bench.similar_eval $(EVAL_ARGS)

lint: install-dev
	$(BIN)/ruff check forum tests bench tools wsgi.py migrations/env.py
	$(BIN)/ruff format --check forum tests bench tools wsgi.py migrations/env.py
	$(BIN)/mypy forum tools bench

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
