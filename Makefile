# kefu: `make run` sets everything up and starts the bot; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
KEFU := $(BIN)/kefu
STAMP := $(VENV)/.installed
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2

# A Python 3.10 that really runs: on PATH (pyenv shims honour .python-version), or under pyenv.
PYTHON310 := $(shell for p in python3.10 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python3.10; do \
  if $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then command -v $$p; break; fi; done)

.PHONY: help venv widget browser run shell test test-fast lint bench lock clean

help:
	@echo "make run    - install, migrate and seed the database, train if needed, start the bot"
	@echo "              (make run PROFILE=scaled: PostgreSQL, Redis, RabbitMQ and two Rasa instances)"
	@echo "make shell  - chat with the running bot in the terminal"
	@echo "make test   - run the whole test suite"
	@echo "make test-fast - the quick loop: no trained model, servers, browser, services or slow tests; 2 workers"
	@echo "make bench  - benchmarks: NLU, knowledge base, load vs bare Rasa, training (report in benchmarks/results)"
	@echo "make lint   - ruff"

$(STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 supports 3.8-3.10) and none was found."; \
	  echo "Install one, e.g. 'pyenv install 3.10' or 'uv python install 3.10', then run make again."; \
	  exit 1; fi
	@[ -x $(PY) ] || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24,<26"
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $(STAMP)

venv: $(STAMP)

# The website widget's front-end libraries, from the npm registry (exact versions from the lock file).
WIDGET_STAMP := widget/node_modules/.installed
$(WIDGET_STAMP): widget/package.json widget/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed for the website widget (apt-get install nodejs npm)."; exit 1; }
	npm ci --prefix widget --no-audit --no-fund --silent
	@touch $(WIDGET_STAMP)

widget: $(WIDGET_STAMP)

# Headless Chromium for the browser tests, from Debian's packages.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is needed for the browser tests: sudo apt-get install chromium"; exit 1; fi; }

# PROFILE=scaled: PostgreSQL, Redis and RabbitMQ on 127.0.0.1 (or as set in the environment), two Rasa instances.
run: venv widget
	$(KEFU) run $(if $(PROFILE),--profile $(PROFILE))

shell: venv
	$(KEFU) shell

# The tests that need no trained model, servers, browser or external services: two workers can share them.
FAST_TESTS := not live and not browser and not services and not slow

# The knowledge-base index (sentence embeddings, minutes on a fresh machine) is built while the model trains;
# the quick tests run on two workers, then the rest (which share one set of live servers) in one process.
test: venv widget browser
	@mkdir -p build
	@$(KEFU) kb index > build/kb-index.log 2>&1 & index=$$!; \
	  $(KEFU) train || { wait $$index; exit 1; }; \
	  wait $$index || { cat build/kb-index.log; exit 1; }; \
	  tail -n 1 build/kb-index.log
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -m "$(FAST_TESTS)"
	$(BIN)/pytest -m "not ($(FAST_TESTS))"

# The quick loop: everything that needs no trained model, no live servers, no browser and no external services.
test-fast: venv widget
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -m "$(FAST_TESTS)"

bench: venv
	$(PY) benchmarks/bench_conversations.py
	$(PY) benchmarks/bench_nlu.py
	$(PY) benchmarks/bench_kb.py --quick
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/bench_publish.py
	$(PY) benchmarks/bench_mining.py
	$(PY) benchmarks/bench_load.py --customers $(or $(CUSTOMERS),32) --profile
	$(if $(filter 0,$(BENCH_TRAIN)),,$(PY) benchmarks/bench_train.py)
	$(PY) benchmarks/report.py

lint: venv
	$(BIN)/ruff check .

# Re-resolve the dependency set and rewrite the lock file (needs the package registries).
lock:
	rm -rf .lockenv && $(PYTHON310) -m venv .lockenv
	.lockenv/bin/pip install --quiet --upgrade "pip>=24,<26"
	.lockenv/bin/pip install --quiet -e ".[dev]"
	.lockenv/bin/pip freeze --all --exclude-editable | grep -v '^kefu' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) build models var .rasa .pytest_cache .ruff_cache widget/node_modules
