# Two commands set up a fresh machine: `make run` (build the dataset, run the default baseline, local MLflow)
# and `make test` (the whole test suite). Both create .venv from the pinned requirements.lock on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := 1

.PHONY: venv build run test test-fast verify embeddings baselines bench clean chromium

$(BIN)/percee: pyproject.toml requirements.lock setup.py
	@echo "==> [1/3] creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> [2/3] installing the pinned requirements.lock (about 2 minutes on a fresh machine)"
	$(BIN)/pip install --progress-bar on -r requirements.lock
	@echo "==> [3/3] installing percee (editable)"
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(BIN)/percee

venv: $(BIN)/percee

datasets/percee/MANIFEST.json: $(BIN)/percee $(shell find datasets/raw datasets/annotations datasets/recall datasets/translations datasets/contrast configs/build benchmark/data -type f 2>/dev/null)
	@echo "==> building the dataset (about 2 minutes on 2 cores)"
	$(BIN)/percee build

build: datasets/percee/MANIFEST.json

run: build
	$(BIN)/percee run

# The leaderboard's browser test needs Debian's chromium: installed here the way .ci/run does (as root), else a
# clear message; `make test-fast` needs no browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  echo "==> installing chromium (apt-get) for the browser test" && apt-get update -qq && \
	  apt-get install -y -qq chromium >/dev/null; } || { echo "make test needs chromium for the leaderboard's \
	browser test: run 'sudo apt-get install chromium' (or use make test-fast)"; exit 2; }

test: build chromium
	$(BIN)/python -m pytest -m "" -q -rs

test-fast: build
	$(BIN)/python -m pytest -q -rs

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
