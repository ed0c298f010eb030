# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/grassroots
HOST ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres setup assets migrate demo serve lint lint-layers bench clean

run: setup migrate demo serve ## set up everything, load demo data if the database is empty, serve on 127.0.0.1:8000

test: setup lint-layers test-sqlite test-postgres ## the layer contracts, then the whole test suite on SQLite and on PostgreSQL

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.lock
	@PYBIN=$$(scripts/find-python) && echo "使用 Python: $$PYBIN" && \
	  ( [ -x $(PY) ] || $$PYBIN -m venv $(VENV) )
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

assets: static/vendor/.installed

static/vendor/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js static/vendor/
	@touch $@

migrate:
	@mkdir -p var/staticfiles
	$(PY) manage.py migrate --noinput -v 0

demo:
	$(PY) manage.py generate_dataset --scale demo --if-empty --quiet
	$(PY) manage.py demo_logins

# The background worker (imports, exports, periodic jobs: django-tasks-db) and the scheduler (run_scheduler: fires
# each app's jobs.py on time into the worker) run beside the web server and stop with it.
serve:
	@echo "打开 / open http://$(HOST)/"
	@$(PY) manage.py db_worker & worker=$$!; \
	$(PY) manage.py run_scheduler >var/scheduler.log 2>&1 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(PY) manage.py runserver $(HOST)

test-sqlite:
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# PostgreSQL: required in CI; elsewhere skipped with a note when no server answers. The browser tests run once, in
# the SQLite half: they drive the pages, whose database work the other tests check on both databases (CI's budget).
test-postgres:
	@if $(PY) scripts/pg_ready.py "$(PG_TEST_URL)"; then \
	  DATABASE_URL="$(PG_TEST_URL)" $(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "CI: PostgreSQL 不可用 / not reachable at $(PG_TEST_URL)"; exit 1; \
	else echo "跳过 PostgreSQL 测试：$(PG_TEST_URL) 无法连接 / skipped: PostgreSQL not reachable"; fi

lint: lint-layers
	$(VENV)/bin/ruff check .

# The app layers (.importlinter): core at the bottom, then orgs, accounts, the domain apps (no cycles between them),
# and the project's top (urls, api, dashboard, dataset).
lint-layers:
	$(VENV)/bin/lint-imports --no-cache

bench:
	$(PY) bench/bench.py --scale city

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles
