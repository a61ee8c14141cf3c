# Two doors: `make run` (the product with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install install-run install-serve lock migrate demo clean bench \
	check-mongodb test-mongodb serve soak slow-clients test-api-schema bench-http

# The development doors run in development mode unless DEBUG is given; nothing writes DEBUG into
# a file (.env is what production reads too). The tests do the same in tests/settings.py.
run demo migrate lint check-mongodb bench: export DEBUG ?= true

# Installs come from the lock files in requirements/ (exact versions, every file's hash checked):
# run.txt runs the site, serve.txt adds the PostgreSQL and MongoDB drivers, dev.txt adds the tests
# and tools. The project itself is not installed: it runs from this folder.
PIP_INSTALL := $(PY) -m pip install --quiet --require-hashes
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements/run.txt | $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements/run.txt
	touch $@

$(VENV)/.installed-serve: requirements/serve.txt | $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements/serve.txt
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed: requirements/dev.txt | $(VENV)/bin/python
	$(PIP_INSTALL) -r requirements/dev.txt
	touch $@ $(VENV)/.installed-serve $(VENV)/.installed-run

.env:
	cp .env.example .env

install: $(VENV)/.installed .env
install-run: $(VENV)/.installed-run .env
# No .env here: a deployment reads its settings from the environment (systemd's EnvironmentFile).
install-serve: $(VENV)/.installed-serve

# After changing the dependencies in pyproject.toml: write the lock files again (uv, from dev.txt).
UV_COMPILE := UV_NO_CONFIG=1 $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
	--universal --python-version 3.11
lock: install
	$(UV_COMPILE) -o requirements/run.txt
	$(UV_COMPILE) --extra postgres --extra mongodb -o requirements/serve.txt
	$(UV_COMPILE) --all-extras -o requirements/dev.txt

migrate: install-run
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo --if-empty

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production stack on this machine: migrate, collectstatic, gunicorn on a unix socket, nginx
# (Debian's package) on HOST:PORT in front of it. Settings from the environment and .env, with
# DEBUG off. As root or not.
WORKERS ?= 2
serve: install-serve
	$(PY) deploy/serve.py --host $(HOST) --port $(PORT) --workers $(WORKERS)

# The served stack under load, over loopback only. soak: learners booking, joining, leaving and
# completing at random on PostgreSQL while a worker is killed and the database connections are
# cut (the database is dropped and made again: its name must contain "soak"). slow-clients: 50
# slow-header sockets while ordinary requests must answer within a second.
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/learning_platform_soak
SOAK_SECONDS ?= 120
SOAK_LEARNERS ?= 40
soak: install-serve
	$(PY) deploy/soak.py --duration $(SOAK_SECONDS) --learners $(SOAK_LEARNERS) \
		--database $(SOAK_DATABASE_URL)

slow-clients: install-run
	$(PY) deploy/slow_clients.py

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

# The JSON API against its own served schema (schemathesis), as the demo learner and anonymous:
# no 5xx, no answer the schema does not describe. API_EXAMPLES test cases per operation.
API_EXAMPLES ?= 10
test-api-schema: install
	$(PY) tests/api/schemathesis_run.py --examples $(API_EXAMPLES)

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
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/outbox.py

# Pages over HTTP (gunicorn, 2 sync workers; wrk from Debian: apt-get install -y wrk) on the bench
# database, loaded first if it is empty, e.g. make bench-http BENCH_DATABASE_URL=postgres://...
BENCH_HTTP_ARGS ?=
# The load runs in development mode; the served pages do not (benchmarks/load.py turns DEBUG off).
bench-http: install
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --no-input -v0
	DEBUG=true DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_demo --scale $(SCALE) \
		--if-empty -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) benchmarks/load.py $(BENCH_HTTP_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
