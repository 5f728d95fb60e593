# Payoff: `make run` starts the app on the sample data; `make test` runs every test layer.
# Both create .venv and install the project the first time (and when pyproject.toml changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test unit app e2e bench bench-peers bench-scale lint format setup chromium clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Payoff needs Python 3.11 or newer (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/streamlit run serve.py --server.port $(PORT) --server.address localhost

# Debian's chromium for the browser tests: installed with apt when we are root, else explained.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests ..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium" >&2; \
		echo "(or set CHROMIUM=/path/to/chromium)" >&2; exit 1; \
	fi

# The browser tests run beside the library and page tests: most of their time is a server and a
# browser waiting on each other, so the two halves share the cores instead of queueing. One OpenMP
# thread each: spinning threads slow two fits sharing two cores tenfold, and passively waiting
# ones slow gradient boosting tenfold on their own (as in payoff.jobs, where the app's fits run).
# The lint (mypy takes half a minute on a fresh clone) runs while the browser tests, the longer
# half, start; when it fails they are interrupted (their servers stopped) and nothing else runs.
TEST_ENV := OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1
test: setup chromium
	@mkdir -p test-artifacts
	@$(TEST_ENV) CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q -p no:cacheprovider --durations=10 tests/e2e \
		> test-artifacts/e2e.log 2>&1 & e2e=$$!; \
	if ! $(MAKE) --no-print-directory lint; then kill -INT $$e2e; wait $$e2e; exit 1; fi; \
	$(TEST_ENV) $(BIN)/python -m pytest -q -p no:cacheprovider --durations=10 tests/unit tests/app; rest=$$?; \
	wait $$e2e; browser=$$?; echo "--- browser tests (tests/e2e) ---"; cat test-artifacts/e2e.log; \
	exit $$(( rest != 0 || browser != 0 ))

unit: setup
	$(TEST_ENV) $(BIN)/python -m pytest -q tests/unit

app: setup
	$(TEST_ENV) $(BIN)/python -m pytest -q tests/app

e2e: setup chromium
	$(TEST_ENV) CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q tests/e2e

bench: setup
	$(BIN)/python -m tests.bench.run

# Payoff next to statsforecast, Prophet and TunedThresholdClassifierCV (the peers extra).
# They live in .venv-peers: statsforecast pins pandas below 3, which must not reach Payoff's own.
bench-peers: setup
	test -x .venv-peers/bin/python || $(PYTHON) -m venv .venv-peers
	.venv-peers/bin/python -m pip install --quiet -e '.[peers]'
	$(BIN)/python -m tests.bench.peers_run --reps 1 --no-warm-up

# 5,000 and 20,000 series, and `payoff analyze` on a 340 MB file: minutes per run.
bench-scale: setup
	$(BIN)/python -m tests.bench.run --only scale --reps 1 --no-warm-up

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .venv-peers bench-results.json .pytest_cache .ruff_cache
