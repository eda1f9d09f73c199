# Two entry points for a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test validate clean ui

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.13'
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/alliances build

validate: $(STAMP)
	$(BIN)/alliances validate

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)

# The Dagster UI (asset graph, checks, runs, schedule, sensor) and its daemon, with the
# project-local instance in .dagster/; Ctrl-C stops both.
ui: $(STAMP)
	$(BIN)/python -m pipeline.ui
