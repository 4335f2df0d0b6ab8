# The two commands of the README. `make test` is what CI runs (.ci/run).
PYTHON ?= python3
# Tiny networks on 2 cores: one BLAS thread is 2-10x faster than many (see relu_notes/__init__.py).
export OPENBLAS_NUM_THREADS ?= 1
HTML_DIR := _build/html

.PHONY: book test install install-dev system-deps lint unit notebooks build-strict browser binder bench

install:
	$(PYTHON) -m pip install -q -r requirements.txt

# Build the website into _build/html, executing every chapter.
book: install
	jupyter-book build . -W -n --keep-going

# Debian packages the browser tests need: chromium and a Bengali-capable font.
system-deps:
	@if ! dpkg -s chromium fonts-noto-core >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core; \
	fi

install-dev: install system-deps
	$(PYTHON) -m pip install -q -r requirements-dev.txt torch==2.13.0

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

unit:
	$(PYTHON) -m pytest tests --ignore=tests/browser -q

notebooks:
	$(PYTHON) -m pytest --nbval book/ --nbval-sanitize-with book/nbval_sanitize.cfg -q

build-strict:
	rm -rf _build
	@start=$$(date +%s%N); jupyter-book build . -W -n --keep-going && \
		echo "clean build with every chapter executed: $$(( ($$(date +%s%N) - start) / 1000000 )) ms"

browser:
	RELU_NOTES_HTML=$(HTML_DIR) $(PYTHON) -m pytest tests/browser -q

binder:
	bash scripts/binder_check.sh

bench:
	$(PYTHON) benchmarks/bench_activations.py

# Everything, in order: install, lint, package tests, strict notebooks, -W build, browser,
# then a Binder-like fresh venv that installs requirements.txt only and runs every chapter.
test: install-dev lint unit notebooks build-strict browser binder
