# skillcert — the two commands: `make demo` and `make test`. `make ci` is what .ci/run calls.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/skillcert_ci
# Stages of `make ci`, in order; scripts/ci.sh runs each, goes on after a failure and sums up.
CI_STAGES ?= lint types check test test-pg e2e
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# pytest through scripts/pytest.sh: its exit 5 (no tests collected) is not a failure.
PYTEST := bash scripts/pytest.sh

.PHONY: help demo test ci lint types check test-pg e2e bench lock install sysdeps migrate seed clean

help:
	@echo "make demo   安装依赖、迁移、载入演示数据并启动 http://127.0.0.1:8000/"
	@echo "make test   运行测试（SQLite，不含浏览器测试）"
	@echo "make ci     lint、类型检查、系统检查、SQLite 与 PostgreSQL 测试、浏览器测试"
	@echo "make e2e    浏览器测试（Playwright + Debian chromium）"
	@echo "make bench  运行基准测试（bench/bench_*.py）"
	@echo "make lock   重新生成带哈希的依赖锁文件"

# Debian packages WeasyPrint and the CJK fonts need; installed when we are root or have sudo.
sysdeps:
	@bash scripts/sysdeps.sh

# The venv comes from the hashed lock. PIP_CONSTRAINT also reaches pip's isolated build
# environments, so xstatic-bootstrap's sdist builds with setuptools<81 (see build-constraints.txt).
$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=requirements/build-constraints.txt $(VENV)/bin/pip install -q --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	$(VENV)/bin/pip install -q --no-deps --no-build-isolation -e . 2>/dev/null || \
		PIP_CONSTRAINT=requirements/build-constraints.txt $(VENV)/bin/pip install -q --no-deps -e .
	@touch $(STAMP)

install: sysdeps $(STAMP)

migrate: install
	$(MANAGE) migrate --noinput -v0

seed: migrate
	$(MANAGE) load-calendar
	$(MANAGE) load-catalogue
	$(MANAGE) seed-demo
	$(MANAGE) seed-filings
	$(MANAGE) seed-rounds
	$(MANAGE) seed-applications
	$(MANAGE) seed-logistics

demo: seed
	@bash scripts/demo.sh

test: install
	$(PYTEST) -m "not e2e" -n 2 --dist loadfile

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

types: install
	$(VENV)/bin/mypy

check: install
	SKILLCERT_ENV=test $(MANAGE) check --fail-level WARNING
	SKILLCERT_ENV=test $(MANAGE) makemigrations --check --dry-run
	bash scripts/check-deploy.sh

test-pg: install
	SKILLCERT_DATABASE_URL=$(PG_URL) $(PYTEST) -m "not e2e" -n 2 --dist loadfile --create-db

e2e: install
	@bash scripts/browser-deps.sh
	$(PYTEST) -m e2e -p no:xdist

ci: install
	@bash scripts/ci.sh $(CI_STAGES)

bench: install
	$(PY) -m bench

# Refresh the hashed lock (no index URLs are written).
lock:
	cd requirements && uv pip compile --generate-hashes --python-version 3.11 base.in -o base.txt -q \
		&& uv pip compile --generate-hashes --python-version 3.11 dev.in -o dev.txt -q

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-results
