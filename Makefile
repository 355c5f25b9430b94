# Two commands on a fresh machine: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

.PHONY: run test bench lint typecheck unit integration e2e clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)  ## the local stack: moto, the table, demo data, chalice local on :8000
	$(PY) scripts/local_stack.py

test: lint typecheck  ## lint, types, and every test (unit, integration, e2e)
	$(PY) -m pytest -q

bench: $(STAMP)  ## figures measured in one run: DynamoDB calls and latency; also written to bench/results.md
	$(PY) scripts/bench.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit integration e2e: $(STAMP)
	$(PY) -m pytest -q tests/$@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
