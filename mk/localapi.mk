# USER is the environment's login name too: only a USER given on the command line names the user to sign in.
USER_NAME := $(if $(filter command line,$(origin USER)),$(USER))

# The local API (localapi/, and devtools/lab/ that `make serve` runs it in): `make serve`, `make token`, and what
# its end-to-end tests need.
# pytest runs tests/localapi with the rest of tests/; the slow end-to-end ones carry the `slow` marker
# (`make e2e` runs only those).

# The docs-page test's browser: devtools/browser.py (CHROMIUM=path, else the npm package's Chromium on Linux x64,
# else an installed Chrome/Chromium/Edge); `make browser` fetches and prints it.
browser: $(STAMP) ## the docs-page test's headless Chromium (npm @sparticuz/chromium on Linux x64, or an installed one)
	$(PY) -m devtools.browser

serve: $(STAMP) ## run the API on http://127.0.0.1:$(PORT) (REGIONS=us-east-1,eu-west-1 for several; CONSISTENCY=STRONG [WITNESS=region] for an MRSC table)
	$(PY) -m localapi serve --port $(PORT) --regions $(REGIONS) $(if $(API),--api-dir $(API)/api --handler-prefix $(subst /,.,$(API)).lambdas.handlers) --consistency $(CONSISTENCY) $(if $(WITNESS),--witness $(WITNESS)) $(if $(ALLOW_USER_PASSWORD_AUTH),--allow-user-password-auth)

token: $(STAMP) ## print the access token the app's sign-in yields (`make -s token [USER=name] [SCOPES="api/items.read"] [FLOW=srp|password|code]`)
	@$(PY) -m localapi token --port $(PORT) $(if $(USER_NAME),--user "$(USER_NAME)") $(if $(SCOPES),--scopes "$(SCOPES)") $(if $(FLOW),--flow "$(FLOW)")

operator-token: $(STAMP) ## print an operator's access token, operator client + operators group (`make -s operator-token [USER=name]`)
	@$(PY) -m localapi operator-token --port $(PORT) $(if $(USER_NAME),--user "$(USER_NAME)") $(if $(SCOPES),--scopes "$(SCOPES)") $(if $(FLOW),--flow "$(FLOW)")

e2e: $(STAMP) ## only the local API's end-to-end tests (failover drill, fuzzing, docs page)
	$(PY) -m pytest tests/localapi -m slow

.PHONY: serve token operator-token e2e browser
