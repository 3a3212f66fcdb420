# The two commands: `make run` (portal with the demo report on SQLite) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run worker test lint format install install-dev messages bench bench-scale bench-search

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/installed-dev: $(VENV)/installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/installed
install-dev: $(VENV)/installed-dev

messages: install
	$(PY) manage.py compilemessages --ignore '.venv' --verbosity 0

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --superuser
	@echo "ITA Portal: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Renders in the background the PDFs too large for a web request (run it beside `make run`).
worker: install
	$(PY) manage.py db_worker

# Whole test files go to each process (--dist loadfile): a module's servers and Redis database
# stay in one process.
test: install-dev messages
	$(PY) -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev messages
	$(PY) bench/run.py

# 1,000 agencies in PostgreSQL (127.0.0.1:5432) under wrk; BENCH_ARGS="--duration 10" for a quick run.
bench-scale: install-dev messages
	$(PY) bench/scale.py $(BENCH_ARGS)

bench-search: install-dev messages
	$(PY) bench/search.py $(BENCH_ARGS)
