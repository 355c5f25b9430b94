# Two commands on a fresh machine: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

.PHONY: run test bench soak lint typecheck unit integration e2e browser clean infra-deps synth infra-test deploy destroy

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)  ## the local stack: moto, the table, demo data, chalice local on :8000
	$(PY) scripts/local_stack.py

# `make test` runs the tests on WORKERS pytest-xdist workers (this machine has 2 cores), a test file at a time per
# worker, files in the order tests/conftest.py gives; a plain `pytest tests/unit/...` runs in one process.
# Bytecode is cached for the run even where the environment says PYTHONDONTWRITEBYTECODE (this machine's does):
# otherwise each pytest process and each local stack compiles the project and pytest rewrites ~370 plugin
# modules again (collection: ~7 s of CPU a process instead of ~3.5).
WORKERS ?= 2
test: lint typecheck browser  ## lint, types, and every test (unit, integration, e2e, browser); tests/infra runs in `make infra-test`
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -q --ignore=tests/infra -n $(WORKERS) --dist loadfile --no-loadscope-reorder

bench: $(STAMP)  ## one table measured in one run (cold import, package size, DynamoDB calls, overhead, scale); also bench/results.md
	$(PY) scripts/bench.py

soak: $(STAMP)  ## 16 clients, 1,200 booking attempts on a stack of its own, then the table's invariants; also bench/soak.txt
	bash -o pipefail -c '$(PY) scripts/soak.py --clients 16 --bookings 1200 | tee bench/soak.txt'

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit integration e2e: $(STAMP)
	$(PY) -m pytest -q tests/$@

# The console's browser tests drive Debian's Chromium (Playwright's own browser download is never used), and a
# CJK font so the Chinese pages render in screenshots. As root here; through sudo otherwise.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:  ## Debian's chromium for tests/browser, installed once
	test -x /usr/bin/chromium -a -d /usr/share/fonts/truetype/wqy || ($(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-wqy-microhei)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
	rm -rf infra/.venv infra/node_modules infra/cdk.out infra/chalice.out infra/.mypy_cache

# Infrastructure (infra/, CDK): its own venv (aws-cdk-lib is ~430 MB) and the CDK CLI pinned in infra/package.json.
STAGE ?= dev
INFRA_VENV := infra/.venv
INFRA_STAMP := $(INFRA_VENV)/.installed-$(shell cat requirements.txt infra/requirements-infra.txt infra/package-lock.json | sha1sum | cut -c1-12)
CDK := JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK_DISABLE_CLI_TELEMETRY=true npx --no-install cdk
CDK_STAGE = -c stage=$(STAGE) $(if $(SECRETS_VERSION),-c secretsVersion=$(SECRETS_VERSION)) --no-notices

$(INFRA_STAMP): requirements.txt infra/requirements-infra.txt infra/package-lock.json
	test -x $(INFRA_VENV)/bin/python || $(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r infra/requirements-infra.txt
	cd infra && npm ci --no-audit --no-fund --loglevel=error
	rm -f $(INFRA_VENV)/.installed-* && touch $(INFRA_STAMP)

infra-deps: $(INFRA_STAMP)  ## infra/'s venv and the CDK CLI, installed (CI installs them while `make test` runs)

synth: $(INFRA_STAMP)  ## the CloudFormation template of STAGE (dev) in infra/cdk.out/, offline, then cfn-lint over it
	rm -rf infra/cdk.out infra/chalice.out
	cd infra && AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} AWS_EC2_METADATA_DISABLED=true \
	  $(CDK) synth $(CDK_STAGE) --quiet
	$(INFRA_VENV)/bin/cfn-lint infra/cdk.out/*.template.json

infra-test: synth $(STAMP)  ## synth and cfn-lint, infra/'s types, then tests/infra: the template against the code
	MYPYPATH=infra $(INFRA_VENV)/bin/mypy --cache-dir infra/.mypy_cache infra/cdk_app.py infra/slotbook_infra
	$(PY) -m pytest -q tests/infra

deploy: $(INFRA_STAMP)  ## STAGE=dev|prod into the account and region of your AWS credentials (README: Deploying)
	cd infra && $(CDK) deploy $(CDK_STAGE)

destroy: $(INFRA_STAMP)  ## STAGE=dev|prod: the stack goes; prod's table and secret stay
	cd infra && $(CDK) destroy $(CDK_STAGE)
