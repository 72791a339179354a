# Tasklane — the two commands: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv: from PATH, else a private copy in .tools/ (a fresh machine has only Python and pip).
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
# Any Python 3.11+ on PATH; uv never downloads one.
export UV_PYTHON ?= python3
RUN := $(UV) run --frozen --no-sync

HOST ?= 127.0.0.1
PORT ?= 8000
AWS_PORT ?= 5000

.PHONY: help run test lint format bench install install-runtime clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install-runtime: $(UV) ## install what `make run` needs (no test or CDK tools)
	$(UV) sync --frozen --inexact --no-default-groups --group local

install: $(UV) ## install everything `make test` needs
	$(UV) sync --frozen

run: install-runtime ## start the whole system locally and print its URLs (Ctrl-C stops it)
	$(RUN) tasklane dev --host $(HOST) --port $(PORT) --aws-port $(AWS_PORT)

test: install lint ## install what is missing, then run every test suite and the benchmarks
	$(RUN) pytest
	@# The benchmarks' targets (ratios and counts) are part of the suite; the report goes to
	@# .local/ so a local run does not rewrite the committed benchmarks/report.md.
	$(RUN) python -m benchmarks --out .local/bench

lint: install ## ruff (lint + format check) and mypy --strict
	$(RUN) ruff check src tests benchmarks
	$(RUN) ruff format --check src tests benchmarks
	$(RUN) mypy

format: install ## apply ruff's fixes and formatting
	$(RUN) ruff check --fix src tests benchmarks
	$(RUN) ruff format src tests benchmarks

bench: install ## run the benchmarks; writes benchmarks/report.md
	$(RUN) python -m benchmarks

clean: ## remove local data, caches and the virtualenv
	rm -rf .local .venv .tools .pytest_cache .mypy_cache .ruff_cache
