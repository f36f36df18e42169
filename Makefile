# The README's two commands are `make run` and `make test`; the rest are their parts.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# What `make run` needs is a subset: the runtime and the local server, GraphiQL's npm packages;
# no test, lint or type tools. A full setup satisfies it too.
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run test setup lint format typecheck package smoke bench apidocs clean

run: $(RUN_STAMP) node_modules/.installed-run  ## install what running needs, start the local AppSync with the client
	$(BIN)/retro serve $(ARGS)

# Two pytest-xdist workers (CI's 2 cores), one module at a time each (tests/conftest.py says
# how tests/infra stays on one worker); PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2

test: setup lint typecheck  ## set up and run every check and test
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

setup: $(STAMP) node_modules/.installed

# (If the full setup is newer than its source, the run's subset is there: nothing to do.)
$(RUN_STAMP): pyproject.toml
	@if [ $(STAMP) -nt pyproject.toml ]; then touch $@; else \
	  echo "==> [1/2] Python packages to run Retro (runtime, local server) into $(VENV): a few minutes the first time" && \
	  $(PY) -m venv $(VENV) && \
	  $(BIN)/pip install --upgrade pip && \
	  $(BIN)/pip install -e '.[local]' && \
	  touch $@; fi

$(STAMP): pyproject.toml
	@echo "==> [1/2] Python packages to run and test Retro (runtime, local server, test and lint tools) into $(VENV)"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[local,dev]'
	touch $@ $(RUN_STAMP)

node_modules/.installed-run: package.json
	@if [ node_modules/.installed -nt package.json ]; then touch $@; else \
	  echo "==> [2/2] npm packages GraphiQL needs (retro serve serves them from disk)" && \
	  npm install --omit=dev --no-audit --no-fund && \
	  touch $@; fi

node_modules/.installed: package.json
	@echo "==> [2/2] npm packages: GraphiQL's, and the tests' (TypeScript, axe-core)"
	npm install --no-audit --no-fund
	touch $@ node_modules/.installed-run

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

smoke: $(STAMP)         ## a real meeting against a stack: URL=<client or local URL, or graphql URL>
	$(BIN)/retro smoke $(URL) $(ARGS)

bench: setup            ## run the benchmark suite and print its table
	$(BIN)/python -m bench

apidocs: setup          ## regenerate the reference part of docs/API.md from the schema
	$(BIN)/python -m retro_tools.apidocs

clean:
	rm -rf $(VENV) node_modules dist
