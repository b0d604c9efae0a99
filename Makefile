# Two commands for a newcomer: `make demo` and `make test`. Both create or reuse ./.venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench install browser-deps clean echarts

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# Every package from the lock (constraints.txt), each checked against its hash; then the
	# app itself (hash checking cannot cover a local checkout), and a check that they agree.
	$(BIN)/pip install --quiet --require-hashes -r constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

install: $(STAMP)

## Set up and run the demo on http://127.0.0.1:8000 (demo accounts are printed).
demo: $(STAMP)
	$(BIN)/xiaoneng demo

## Browser tests need Debian's chromium and a CJK font (root, or sudo), and axe-core from npm.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; \
	fi
	@# axe-core (the accessibility engine the browser tests run in each page), from npm, pinned
	@# by package-lock.json; the app never serves it.
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

## Set up and run the whole test suite: lint, type checks, migrations check, tests (SQLite; PostgreSQL too when DATABASE_URL is set).
test: $(STAMP) browser-deps
	$(BIN)/ruff check xiaoneng bench
	$(BIN)/ruff format --check xiaoneng bench
	$(BIN)/mypy
	$(BIN)/xiaoneng makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check xiaoneng bench
	$(BIN)/ruff format --check xiaoneng bench
	$(BIN)/mypy

## Rebuild the trimmed ECharts (tools/echarts/entry.js lists the charts and components used).
echarts:
	cd tools/echarts && npm ci --no-audit --no-fund --loglevel=error && \
	  npx esbuild entry.js --bundle --minify --format=iife --legal-comments=none \
	    --outfile=../../xiaoneng/static/vendor/echarts/echarts.min.js

clean:
	rm -rf $(VENV) var node_modules
