# Two entry points for a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
UV_INSTALL = $(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode

.PHONY: build test validate clean ui

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.13'

# What a build needs; the test tools (an S3 server, a browser driver, ...) only for `make test`.
$(STAMP): pyproject.toml | $(BIN)/uv
	$(UV_INSTALL) -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(UV_INSTALL) -e '.[test]'
	touch $(TEST_STAMP)

build: $(STAMP)
	$(BIN)/alliances build

validate: $(STAMP)
	$(BIN)/alliances validate

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV)

# The Dagster UI (asset graph, checks, runs, schedule, sensor) and its daemon, with the
# project-local instance in .dagster/; Ctrl-C stops both.
ui: $(STAMP)
	$(BIN)/python -m pipeline.ui
