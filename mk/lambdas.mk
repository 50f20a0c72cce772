# Lambdas: deployment zips and the cold-start / warm-overhead benchmark.
PACKAGE_DIR := $(if $(API),build/$(API)/lambdas,build/lambdas)
BENCH_VENV  := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_ROUNDS ?= 9

package: $(STAMP) ## one deterministic zip per operation in build/lambdas/ (only what each handler imports; <= 28 KB)
	$(PY) tools/package.py --out $(PACKAGE_DIR) $(if $(API),--api-root $(API))

# The baselines (Powertools, FastAPI+Mangum) are never installed into .venv: they get their own venv.
$(BENCH_STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -c constraints.txt -e '.[bench]' boto3
	touch $@

bench: $(BENCH_STAMP) ## cold start (ms, x bare boto3) and warm overhead (µs) vs bare boto3, Powertools, FastAPI+Mangum
	BENCH_ROUNDS=$(BENCH_ROUNDS) $(BENCH_VENV)/bin/python -m bench.run

.PHONY: package bench
