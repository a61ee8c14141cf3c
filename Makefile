# Two doors: `make run` (the product with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install migrate demo clean bench bench-http check-mongodb test-mongodb

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres,mongodb]'
	touch $@

.env:
	cp .env.example .env

install: $(VENV)/.installed .env

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo --if-empty

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# SQLite always; again on PostgreSQL when TEST_POSTGRES_URL is set (or DATABASE_URL points at it).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
		echo "== again on PostgreSQL"; \
		DATABASE_URL="$$TEST_POSTGRES_URL" $(PY) -m pytest $(PYTEST_ARGS); \
	fi
	@$(MAKE) --no-print-directory test-mongodb

lint: install check-mongodb
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# MongoDB settings, checked without a server: they load, pass the system checks, and no
# migration is missing. (The compiled-query tests in tests/mongodb/ run with `make test`.)
MONGODB_OFFLINE_URL := mongodb://127.0.0.1:27017/learning_platform
check-mongodb: install
	DATABASE_URL=$(MONGODB_OFFLINE_URL) $(PY) manage.py check --database default --fail-level WARNING
	DATABASE_URL=$(MONGODB_OFFLINE_URL) $(PY) manage.py check_migrations

# The whole suite on a MongoDB server (6.0+, a replica set): TEST_MONGODB_URL names it.
test-mongodb: install
	@if [ -n "$$TEST_MONGODB_URL" ]; then \
		echo "== again on MongoDB"; \
		DATABASE_URL="$$TEST_MONGODB_URL" $(PY) -m pytest $(PYTEST_ARGS); \
	else \
		echo "== MongoDB run skipped: TEST_MONGODB_URL is not set (see README, MongoDB)"; \
	fi

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Load a scratch database at scale (dropped and made again; its name must contain "bench"), time
# the maintenance commands on it, then the pages, e.g. make bench BENCH_DATABASE_URL=postgres://...
SCALE ?= 1000000
BENCH_DATABASE_URL ?= sqlite:////tmp/learning_platform_bench.sqlite3
bench: install
	$(PY) benchmarks/commands.py --scale $(SCALE) --database $(BENCH_DATABASE_URL)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/pages.py

# Pages over HTTP (gunicorn, 2 sync workers; wrk from Debian: apt-get install -y wrk) on the bench
# database, loaded first if it is empty, e.g. make bench-http BENCH_DATABASE_URL=postgres://...
BENCH_HTTP_ARGS ?=
bench-http: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_demo --scale $(SCALE) --if-empty -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/load.py $(BENCH_HTTP_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
