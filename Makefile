# Tasklane — the two commands: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv: $UV or PATH, else a private copy in .tools/ (a fresh machine has only Python and pip).
# Exported with an absolute path: every script that starts uv asks `devtools.uv()`, which
# reads $UV first (`uv run` sets it too), so nothing depends on uv being on PATH.
UV_VERSION := 0.13.9
PRIVATE_UV := $(CURDIR)/.tools/bin/uv
UV ?= $(or $(shell command -v uv 2>/dev/null),$(PRIVATE_UV))
export UV
export UV_PYTHON_DOWNLOADS := never
# Any Python 3.11+ on PATH; uv never downloads one.
export UV_PYTHON ?= python3
RUN := $(UV) run --frozen --no-sync
# Each run gets a private temporary folder: pytest's shared one (/tmp/pytest-of-<user>) keeps
# only the last three runs, so a second suite started meanwhile (another checkout, another
# terminal) would delete this run's PostgreSQL data directory under it.
PYTEST = tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && $(RUN) pytest --basetemp="$$tmp/pytest"

HOST ?= 127.0.0.1
PORT ?= 8000
AWS_PORT ?= 5000
WEB_PORT ?= 3000

#: Every Python folder that ruff checks and formats: written once, here.
LINT_DIRS := src tests benchmarks infra load audit devtools smoke

.PHONY: help run test unit integration e2e web-test infra-test lint format bench install \
	install-runtime clean synth diff deploy destroy web-image-refresh smoke

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(PRIVATE_UV):
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install-runtime: $(UV) ## install what `make run` needs (no test or CDK tools)
	$(UV) sync --frozen --inexact --no-default-groups --group local

install: $(UV) ## install everything `make test` needs (every group, the CDK one too)
	$(UV) sync --frozen --all-groups

run: install-runtime web-build ## start the whole system locally and print its URLs (Ctrl-C stops it)
	$(RUN) tasklane dev --host $(HOST) --port $(PORT) --aws-port $(AWS_PORT) --web-port $(WEB_PORT)

test: install lint web-build web-browser ## install what is missing, then run every test suite and the benchmarks
	$(RUN) python -m audit
	$(PYTEST)
	@# The benchmarks' targets (ratios and counts) are part of the suite; the report goes to
	@# .local/ so a local run does not rewrite the committed benchmarks/report.md.
	$(RUN) python -m benchmarks --out .local/bench

# Quicker loops for one kind of test; `make test` stays the one command that runs them all.
unit: install ## unit and architecture tests: in memory, no servers (seconds)
	$(PYTEST) -q tests/unit tests/architecture

integration: install ## moto server + embedded PostgreSQL: contract, integration, local runtime, faults
	$(PYTEST) -q tests/contract tests/integration tests/local tests/faults

e2e: install ## HTTP against `tasklane dev` as a subprocess: e2e and the API fuzz
	$(PYTEST) -q tests/e2e tests/fuzz

web-test: install web-build web-browser ## the web app: ESLint, tsc, Vitest, Playwright in Chromium
	$(PYTEST) -q tests/web

infra-test: install ## the CDK app: assertions, cdk-nag, cfn-lint (offline synth)
	$(PYTEST) -q tests/infra

lint: install ## ruff (lint + format check) and mypy --strict
	$(RUN) ruff check $(LINT_DIRS)
	$(RUN) ruff format --check $(LINT_DIRS)
	$(RUN) mypy

format: install ## apply ruff's fixes and formatting
	$(RUN) ruff check --fix $(LINT_DIRS)
	$(RUN) ruff format $(LINT_DIRS)

bench: install web-build web-browser ## run the benchmarks; writes benchmarks/report.md
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

diff: install web-build ## show what `make deploy` would change in your AWS account (CDK CLI)
	$(CDK_CLI) diff $(CDK_FLAGS)

deploy: install web-build ## deploy the stack to your AWS account (CDK CLI; see docs/deploy.md)
	$(CDK_CLI) deploy $(CDK_FLAGS) --require-approval broadening

destroy: ## delete the stack (prod keeps its table, pool, buckets and logs)
	$(CDK_CLI) destroy $(CDK_FLAGS)

# The smoke test (smoke/, docs/deploy.md): `make smoke` against the stack `make run` serves
# (start it first, in another terminal); `make smoke STAGE=dev` against a deployed stage (its
# ApiUrl from CloudFormation, your AWS credentials confirm and delete the test users).
# SMOKE_ARGS passes options on (`python -m smoke --help`).
smoke: install-runtime ## sign up, log in, create, upload, search, notify, clean up: local, or STAGE=
	$(RUN) python -m smoke $(if $(filter command line environment,$(origin STAGE)),--stage $(STAGE),--api http://$(HOST):$(PORT)) $(SMOKE_ARGS)

web-image-refresh: install ## forget the pinned web server image: the next deploy rolls onto the current AL2023
	$(RUN) python -c 'from infra.web import forget_pinned_images as f; print("\n".join(f()) or "no pinned image")'

clean: ## remove local data, caches and the virtualenv
	rm -rf .local .venv .tools .pytest_cache .mypy_cache .ruff_cache web/node_modules web/.next web/.build-stamp

# The web app (web/): Next.js standalone build, served by `make run` on WEB_PORT. npm ci runs
# when package-lock.json changes; the build when a source changes (stamp file), else no-op.
export NEXT_TELEMETRY_DISABLED := 1
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f 2>/dev/null) \
	web/package.json web/package-lock.json web/next.config.ts web/tsconfig.json
CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: web-build web-browser

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

web/.build-stamp: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build
	touch $@

web-build: web/.build-stamp ## build the web app if a source changed (npm ci + next build)

web-browser: ## install Debian's Chromium for the browser tests when it is missing
	@if [ -x "$(CHROMIUM_PATH)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "Chromium is missing at $(CHROMIUM_PATH) and cannot be installed without root:" \
		"run 'sudo apt-get install -y chromium' or set CHROMIUM_PATH" >&2; exit 1; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium

# Hardening (docs/operations.md). `make test` runs the audit and bounded fuzz, fault and load
# smoke tests; these run the long versions.
.PHONY: audit fuzz load

audit: install ## pip-audit (locked deps), npm audit (web/), bandit (src/), secrets scan
	$(RUN) python -m audit

fuzz: install ## fuzz every API operation against its OpenAPI document (~10 min, random seed)
	TASKLANE_FUZZ_EXAMPLES=100 TASKLANE_FUZZ_SECONDS=600 TASKLANE_FUZZ_SEED=random \
		$(RUN) pytest -p no:cacheprovider -s --timeout 900 tests/fuzz

load: install ## 50 users for 90 s on the local stack, then no-loss checks; writes load/report.md
	$(RUN) python -m load --users 50 --seconds 90 --accounts 10
