# The README's two commands are `make book` and `make test` (`make test` is what CI runs, via
# .ci/run). `make check` is the contributor's quick loop: lint and package tests only.
PYTHON ?= python3
HTML_DIR := _build/html
CACHE_DIR := _build/.jupyter_cache
NBVAL := --nbval --nbval-sanitize-with book/nbval_sanitize.cfg --nbval-cell-timeout 120

.PHONY: book test check install install-dev system-deps lint unit results chapters build-cached \
	pdf browser binder colab colab-render translation bench

install:
	$(PYTHON) -m pip install -q -r requirements.txt

# Build the website: English into _build/html, Bengali into _build/html/bn (both -W). A chapter
# runs only if its code changed since the last build (execute_notebooks: cache in _config.yml),
# and at most once for both editions. Then the PDFs (_build/html/pdf), if chromium is there.
book: install
	$(PYTHON) scripts/build_book.py
	$(PYTHON) scripts/build_pdfs.py
	$(PYTHON) scripts/reader_notebooks.py

# Lint and package tests: no network, no root, no browser, no notebooks. Run it before a commit.
check: lint unit

# Everything CI runs, in order, with each phase's time: see scripts/test_all.sh.
test:
	bash scripts/test_all.sh

# Debian packages the browser and PDF tests need: chromium, a Bengali-capable font and poppler.
system-deps:
	@if ! dpkg -s chromium fonts-noto-core poppler-utils >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core poppler-utils; \
	fi

install-dev: install system-deps
	$(PYTHON) -m pip install -q -r requirements-dev.txt -c constraints.txt torch

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

unit:
	$(PYTHON) -m pytest tests --ignore=tests/browser -q

# Run every stored experiment again; fail if a stored result is stale or moved beyond tolerance.
results:
	$(PYTHON) scripts/refresh_results.py --check

# Strict nbval on every chapter: each runs once, its fresh outputs are compared with the stored
# ones, and a chapter whose cells all pass is stored in the jupyter-cache for build-cached.
chapters:
	rm -rf _build
	$(PYTHON) -m pytest $(NBVAL) book/ -q -p scripts.nbval_cache --nbval-store-cache $(CACHE_DIR)

# The -W build of both editions from the cache that `chapters` filled; fails if it had to
# execute a chapter.
build-cached:
	$(PYTHON) scripts/build_book.py --from-cache

# The PDFs of both editions, printed by chromium from the built site; fails without chromium.
# tests/browser/test_site_pdfs.py checks them.
pdf:
	$(PYTHON) scripts/build_pdfs.py --require

# Plain-Jupyter copies of the chapters for Colab (_build/reader): fails on MyST left in them.
colab:
	$(PYTHON) scripts/reader_notebooks.py

# The Colab copies as a browser shows them: nbconvert's HTML of each in chromium. Fails on raw
# MyST, a value missing, or Markdown that renders unlike CommonMark. Run after `colab`.
colab-render:
	$(PYTHON) scripts/check_colab.py

# The Bengali catalogues against a fresh extraction of the English text: fails on a message that
# is missing, untranslated or fuzzy, or whose markup ({eval} values, math, links) changed.
translation:
	$(PYTHON) scripts/translation.py check

browser:
	RELU_NOTES_HTML=$(HTML_DIR) $(PYTHON) -m pytest tests/browser -q

# Binder on this machine: a fresh venv made as repo2docker makes it runs every chapter, then its
# JupyterLab (jupyterlab-myst) shows each in chromium. See scripts/binder_check.sh.
binder:
	PYTHON=$(PYTHON) bash scripts/binder_check.sh

bench:
	$(PYTHON) benchmarks/bench_activations.py
