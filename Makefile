# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit eval-gate bench ingest ui clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on the embedded default: ingest the knowledge, load the demo queue, open the review desk.
run: $(STAMP)
	$(BIN)/redreply ui --demo

ingest: $(STAMP)
	$(BIN)/redreply ingest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# The offline eval gates: a regression below these floors fails the build.
eval-gate: $(STAMP)
	$(BIN)/redreply eval retrieval --min hit@3=0.9
	$(BIN)/redreply eval --out .redreply/evals/ci --min-from evals/thresholds.toml
	$(BIN)/redreply eval --dataset evals/datasets/blind_dev.jsonl --out .redreply/evals/ci-blind-dev \
		--min-from evals/thresholds_blind_dev.toml

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -m "" -p no:cacheprovider
	$(MAKE) --no-print-directory eval-gate

bench: $(STAMP)
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/drafting.py
	$(BIN)/python bench/ui.py
	$(BIN)/python bench/evals.py

clean:
	rm -rf .redreply
