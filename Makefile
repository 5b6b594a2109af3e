# `make run` starts the whole stack locally; `make test` runs every suite. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-python test-unit test-integration test-e2e screenshots check seed clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The table and its stream live in Amazon DynamoDB Local (Java 17): in memory, or on disk under .data/
# with PERSIST=1. moto serves Cognito, SES and SSM. Without java this stops at once and says so.
run: require-java $(STAMP) web-build dynamodb-local
	$(PY) -m devstack.local_stack

test: check test-frontend test-python

# Two pytest-xdist workers; each module (tests/e2e and tests/infra: each folder) runs whole on one of them,
# longest first (tests/conftest.py). Plain `pytest tests/...` runs serially.
PARALLEL := -n 2 --dist loadgroup

# The end-to-end tests under tests/e2e need the built SPA and Chromium.
test-python: $(STAMP) web-build browser
	$(PY) -m pytest $(PARALLEL)

# Parts of `make test`, for a quicker loop: unit tests (seconds, no servers), integration (moto, DynamoDB
# Local, the running stack, the template, fuzzing and faults), and the browser suite.
test-unit: $(STAMP)
	$(PY) -m pytest tests/unit -q

test-integration: $(STAMP) dynamodb-local
	$(PY) -m pytest tests/integration tests/hardening tests/infra -q $(PARALLEL)

test-e2e: $(STAMP) web-build browser dynamodb-local
	$(PY) -m pytest tests/e2e -q

# Refresh the README's screenshots (test runs write theirs under build/screenshots instead).
screenshots: $(STAMP) web-build browser dynamodb-local
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest tests/e2e -q

check: $(STAMP) web-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy chalicelib app.py

seed: $(STAMP)
	$(PY) -m devstack.seed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Targets for the web app, infrastructure and benchmarks live beside this file.
-include mk/*.mk
