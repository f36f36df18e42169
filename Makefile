# The README's two commands are `make run` and `make test`; the rest are their parts.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test setup lint format typecheck package smoke bench apidocs clean

run: setup              ## set up and start the local AppSync with the client
	$(BIN)/retro serve $(ARGS)

test: setup lint typecheck  ## set up and run every check and test
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[local,dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck:
	$(BIN)/mypy

# Packaging needs only Python's standard library and pip (retro_tools/packaging.py), not the
# project's dependencies nor npm: a bare venv is enough, and `setup` fills the same one later.
$(BIN)/python:
	$(PY) -m venv $(VENV)

package: $(BIN)/python  ## build dist/<function>.zip for every Lambda function; ARGS="--arch arm64"
	$(BIN)/python -m retro_tools.packaging $(ARGS)

smoke: $(STAMP)         ## a real meeting against a stack: URL=<client or local URL>, or URL=<graphql URL> API_KEY=...
	$(BIN)/retro smoke $(URL) $(if $(API_KEY),--api-key '$(API_KEY)') $(ARGS)

bench: setup            ## run the benchmark suite and print its table
	$(BIN)/python -m bench

apidocs: setup          ## regenerate the reference part of docs/API.md from the schema
	$(BIN)/python -m retro_tools.apidocs

clean:
	rm -rf $(VENV) node_modules dist
