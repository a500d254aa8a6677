# Two commands on a fresh machine: `make run` starts Attune, `make test` runs the tests.
# Both create .venv and install the pinned requirements first (Python >= 3.11 and make needed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: install run test lint eval bench demo worker clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Attune needs Python >= 3.11 (found " + sys.version.split()[0] + "); set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python -m middleware serve

worker: install
	$(BIN)/python -m middleware worker

demo: install
	$(BIN)/python -m middleware demo

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	$(BIN)/python -m middleware policies check policies/default.yaml
	$(BIN)/python -m middleware policies test policies/cases/default.yaml

lint: install
	$(BIN)/ruff check .

eval: install
	$(BIN)/python -m middleware evaluate

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
