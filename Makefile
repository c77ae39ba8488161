# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench lint clean fuzz serve

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP)
	bash scripts/ensure-browser.sh
	bash scripts/ensure-postgres.sh
	$(PY) -m pytest

# The operations centre on the demo's record (planned first if missing), with a fresh
# one-time password for the chief `chief`, printed once beside the address.
serve: $(STAMP)
	@mkdir -p out
	@[ -f out/demo.db ] || ESCOLTA_DB=out/demo.db $(VENV)/bin/escolta plan examples/capital.yaml
	ESCOLTA_DB=out/demo.db $(VENV)/bin/escolta serve --chief chief

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) benchmarks/run_all.py

# The fuzz suite at length (tests/fuzz; a few examples per test in `make test`).
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	mkdir -p out && ESCOLTA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) ESCOLTA_FUZZ_FIGURES=out/fuzz-figures.json \
		$(PY) -m pytest tests/fuzz -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info out
