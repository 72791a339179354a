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

.PHONY: help run test lint format bench install install-runtime clean synth diff deploy destroy

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install-runtime: $(UV) ## install what `make run` needs (no test or CDK tools)
	$(UV) sync --frozen --inexact --no-default-groups --group local

install: $(UV) ## install everything `make test` needs (every group, the CDK one too)
	$(UV) sync --frozen --all-groups

run: install-runtime ## start the whole system locally and print its URLs (Ctrl-C stops it)
	$(RUN) tasklane dev --host $(HOST) --port $(PORT) --aws-port $(AWS_PORT)

test: install lint ## install what is missing, then run every test suite and the benchmarks
	$(RUN) pytest
	@# The benchmarks' targets (ratios and counts) are part of the suite; the report goes to
	@# .local/ so a local run does not rewrite the committed benchmarks/report.md.
	$(RUN) python -m benchmarks --out .local/bench

lint: install ## ruff (lint + format check) and mypy --strict
	$(RUN) ruff check src tests benchmarks infra
	$(RUN) ruff format --check src tests benchmarks infra
	$(RUN) mypy

format: install ## apply ruff's fixes and formatting
	$(RUN) ruff check --fix src tests benchmarks infra
	$(RUN) ruff format src tests benchmarks infra

bench: install ## run the benchmarks; writes benchmarks/report.md
	$(RUN) python -m benchmarks

# The CDK app (infra/). Synth needs no AWS account and no network (cdk-nag runs on every
# synth); deploy, diff and destroy use the CDK CLI from npm with your AWS credentials.
# STAGE=dev|prod picks the stage from cdk.json's context.
STAGE ?= dev
CDK_CLI := npx --yes aws-cdk@2.1148
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
CDK_FLAGS := --no-notices -c stage=$(STAGE)

synth: install ## synthesize the CDK app into cdk.out/ (offline; cdk-nag and CDK validation on)
	CDK_OUTDIR=cdk.out TASKLANE_STAGE=$(STAGE) $(RUN) python -m infra.app
	$(RUN) cfn-lint cdk.out/*.template.json

diff: install ## show what `make deploy` would change in your AWS account (CDK CLI)
	$(CDK_CLI) diff $(CDK_FLAGS)

deploy: install ## deploy the stack to your AWS account (CDK CLI; see README "Deploy to AWS")
	$(CDK_CLI) deploy $(CDK_FLAGS) --require-approval broadening

destroy: ## delete the stack (prod keeps its table, pool, buckets and logs)
	$(CDK_CLI) destroy $(CDK_FLAGS)

clean: ## remove local data, caches and the virtualenv
	rm -rf .local .venv .tools .pytest_cache .mypy_cache .ruff_cache
