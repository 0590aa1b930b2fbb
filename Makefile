# Two commands set up a fresh machine: `make run` (build the dataset, run the default baseline, local MLflow)
# and `make test` (the whole test suite). Both create .venv from the pinned requirements.lock on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := 1

.PHONY: venv build run test test-fast verify embeddings baselines bench clean

$(BIN)/percee: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(BIN)/percee

venv: $(BIN)/percee

datasets/percee/MANIFEST.json: $(BIN)/percee $(shell find datasets/raw datasets/annotations configs/build benchmark/data -type f 2>/dev/null)
	$(BIN)/percee build

build: datasets/percee/MANIFEST.json

run: build
	$(BIN)/percee run

test: build
	$(BIN)/python -m pytest -m "" -q

test-fast: build
	$(BIN)/python -m pytest -q

verify: build
	$(BIN)/percee verify

# Maintainers: encode the texts the shipped embedding cache lacks (incremental; datasets/embeddings/README.md).
embeddings: build
	nice -n 10 $(BIN)/python scripts/encode_cache.py --prune

# Maintainers: refresh the embedding cache, then re-run, lock, submit and rank every baseline (after a deliberate
# change of data or models).
baselines: embeddings
	$(BIN)/percee verify --update
	$(BIN)/python scripts/publish_baselines.py --created $(shell date +%F)

bench: build
	$(BIN)/python scripts/bench_build.py
	$(BIN)/python scripts/bench_score.py
	$(BIN)/python scripts/bench_run.py

clean:
	rm -rf datasets/percee .percee outputs multirun
