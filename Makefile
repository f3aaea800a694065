# Forum: `make run` starts the site with demo content, `make test` runs every test.
PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(shell command -v python$(PYTHON_VERSION) || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt
PORT ?= 8000

.PHONY: run test lint format check-migrations venv clean

# pip 25.3 or newer: older versions lack --build-constraint.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.3"

$(VENV)/.runtime: $(PY) requirements.txt build-constraints.txt
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

venv: $(VENV)/.dev

# The task worker (notification emails) runs beside the web server; Ctrl-C stops both.
run: $(VENV)/.runtime
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev
	@$(PY) scripts/test.py $(ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --check $$(find templates -name '*.html' -not -path 'templates/jinja2/*')
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djade $$(find templates -name '*.html' -not -path 'templates/jinja2/*')

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Performance: `make bench` measures on a fresh PostgreSQL database (ARGS=--sqlite for SQLite)
# and writes bench/results/latest.json; `make bench-scale` repeats two pages on a million comments.
# See bench/README.md.
.PHONY: bench bench-scale bench-wrk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

bench-wrk:
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }

bench: $(VENV)/.dev bench-wrk
	$(PY) -m bench $(ARGS)

bench-scale: $(VENV)/.dev
	$(PY) -m bench.scale $(ARGS)
