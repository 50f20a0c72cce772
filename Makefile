# One entry point for everything. The first target that needs Python bootstraps .venv from
# pyproject.toml (+ constraints.txt for transitive pins), so a fresh machine needs nothing else.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CHECKOV_VENV := .venv-checkov
PORT ?= 8080
REGIONS ?= us-east-1
CONSISTENCY ?= EVENTUAL
# API=examples/orders selects another API of this repository: its declarations are <API>/contract/routes.py,
# its artefacts go under <API>/ (api/, lambdas/contract_types.py, clients/), its handlers are <API>/lambdas/.
# Empty (the default): the kit's own API (contract/routes.py, api/, lambdas/, clients/).
API ?=
API_ARGS := $(if $(API),--api $(subst /,.,$(API)).contract.routes --out $(API))

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required, found " + sys.version)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

venv: $(STAMP) ## create or refresh the virtualenv

swagger: $(STAMP) ## generate the deployable + public OpenAPI documents, docs page, route manifest, handler types, clients
	$(PY) -m contract $(API_ARGS)
	$(MAKE) --no-print-directory clients

contract-check: $(STAMP) ## fail on unacknowledged breaking changes and stale generated files
	$(PY) -m contract --check $(API_ARGS)
	$(MAKE) --no-print-directory clients-check

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP) ## mypy --strict over every Python package (pyproject.toml: the few exceptions and why)
	$(VENV)/bin/mypy contract lambdas localapi tools devtools bench examples

examples-check: $(STAMP) ## the second example API (examples/orders): generated, up to date (documents, types, clients), doc-lint clean
	$(MAKE) --no-print-directory contract-check API=examples/orders
	$(MAKE) --no-print-directory doc-lint API=examples/orders

# Each layer adds its own targets (and what `make test` runs) in mk/<layer>.mk.
TEST_TARGETS := lint typecheck contract-check examples-check
-include mk/*.mk

aws-token: $(STAMP) ## an access token from the DEPLOYED pool: managed login, code + PKCE (`make -s aws-token [OPERATOR=1]`, docs/deploy.md)
	@mkdir -p build && terraform -chdir=terraform output -json > build/terraform-outputs.json
	@$(PY) -m tools.aws_token --outputs build/terraform-outputs.json $(if $(OPERATOR),--operator) $(if $(SCOPES),--scopes "$(SCOPES)")

.PHONY: help venv swagger contract-check examples-check lint typecheck test aws-token
test: $(TEST_TARGETS) ## everything CI runs
	$(PY) -m pytest
