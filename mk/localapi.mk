# The local API (localapi/): `make serve`, `make token`, and what its end-to-end tests need.
# pytest runs tests/localapi with the rest of tests/; the slow end-to-end ones carry the `slow` marker
# (`make e2e` runs only those).

# The docs-page test needs a system chromium (CHROMIUM=path overrides); `make test` never installs it.

serve: $(STAMP) ## run the API on http://127.0.0.1:$(PORT) (REGIONS=us-east-1,eu-west-1 for several)
	$(PY) -m localapi serve --port $(PORT) --regions $(REGIONS)

token: $(STAMP) ## print an access token of the local demo user (`make -s token`; SCOPES="api/items.read" narrows)
	@$(PY) -m localapi token --port $(PORT) $(if $(SCOPES),--scopes "$(SCOPES)")

e2e: $(STAMP) ## only the local API's end-to-end tests (failover drill, fuzzing, docs page)
	$(PY) -m pytest tests/localapi -m slow

.PHONY: serve token e2e
