#!/usr/bin/env bash
# `make test` (and CI, through .ci/run): every check, in order, with each phase's time.
#
#   install   pip: requirements.txt, requirements-dev.txt, torch (constraints.txt); apt: chromium
#   lint      ruff check and ruff format --check (the same as pre-commit and `make check`)
#   unit      the package tests
#   results   every stored experiment runs again and is compared with its stored file
#   chapters  strict nbval: each chapter runs once; its outputs are stored in the jupyter-cache
#   build     the -W build of both editions (English, Bengali), reading every chapter from
#             that cache (none runs again)
#   pdf       the book and the exam sheet of each edition printed to PDF by chromium
#   colab     plain-Jupyter copies of the chapters for Colab: every value filled in, no MyST
#   colab-render  those copies rendered by nbconvert in chromium: no MyST, every value shown
#   translation  the Bengali catalogues match the English text: none missing, empty or fuzzy
#   browser   Playwright with Debian's chromium against the built site; the PDFs' text, fonts
#             and outline (poppler, pypdf)
#   binder    a fresh venv made as repo2docker makes it (no torch) runs every chapter again, and
#             its JupyterLab (jupyterlab-myst) shows every chapter in chromium
#
# Times are printed, never asserted: the machine is shared and noisy.
set -euo pipefail
cd "$(dirname "$0")/.."

MAKE="${MAKE:-make}"
summary=()

print_summary() {
    echo "== phase times"
    printf '%s\n' "${summary[@]}"
}
trap print_summary EXIT

phase() {
    local name=$1 start_ns elapsed_ms
    echo "== $name"
    start_ns=$(date +%s%N)
    "$MAKE" --no-print-directory "$name"
    elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
    summary+=("$(printf '%-12s %5d.%01d s' "$name" $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100)))")
}

total_ns=$(date +%s%N)
phase install-dev
phase lint
phase unit
phase results
phase chapters
phase build-cached
phase pdf
phase colab
phase colab-render
phase translation
phase browser
phase binder
total_ms=$(( ($(date +%s%N) - total_ns) / 1000000 ))
summary+=("$(printf '%-12s %5d.%01d s' total $((total_ms / 1000)) $((total_ms % 1000 / 100)))")
