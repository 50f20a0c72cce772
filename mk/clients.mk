# Generated clients (clients/) and the node tools (tools/node: pinned in package.json + package-lock.json,
# installed with `npm ci`): openapi-typescript, openapi-fetch, tsc, and the public document's peer
# linters (Redocly `recommended`, Spectral `oas`).
NODE_DIR   := tools/node
NODE_STAMP := $(NODE_DIR)/node_modules/.installed
NODE_BIN   := $(NODE_DIR)/node_modules/.bin
# Offline once installed: no telemetry, no update checks.
NODE_ENV_OFFLINE := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@command -v node >/dev/null || { echo "node (v20+) is required by the client generator and the document linters: install Node.js" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "npm is required to install the pinned node tools (tools/node): install npm" >&2; exit 1; }
	cd $(NODE_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

clients: $(STAMP) $(NODE_STAMP) ## typed TypeScript + Python clients of api/openapi.json under clients/ (run by make swagger)
	$(PY) -m tools.clients $(if $(API),--api-root $(API))

clients-check: $(STAMP) $(NODE_STAMP) ## fail if clients/ is stale (run by make contract-check)
	$(PY) -m tools.clients --check $(if $(API),--api-root $(API))

PUBLIC_DOC := ../../$(if $(API),$(API)/,)api/openapi.json

doc-lint: $(NODE_STAMP) ## Redocly `recommended` and Spectral `oas` over the public document: 0 errors, 0 warnings
	@# redocly exits 0 on warnings: its summary line is what fails the target then.
	cd $(NODE_DIR) && out=$$($(NODE_ENV_OFFLINE) node_modules/.bin/redocly lint --config redocly.yaml \
	    --max-problems 50 $(PUBLIC_DOC) 2>&1) || { echo "$$out"; exit 1; }; \
	  grep -vE '[║╔╚]' <<<"$$out"; ! grep -qE 'You have [0-9]+ warnings?' <<<"$$out"
	cd $(NODE_DIR) && node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity warn $(PUBLIC_DOC)

TEST_TARGETS += doc-lint
.PHONY: clients clients-check doc-lint
