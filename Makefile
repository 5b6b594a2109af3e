# `make run` starts the whole stack locally; `make test` runs every suite. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-python check seed clean

# Issue-specific targets (infra, bench) live beside this file.
-include mk/*.mk

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m scripts.local_stack

test: check test-python

test-python: $(STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy chalicelib

seed: $(STAMP)
	$(PY) -m scripts.seed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
