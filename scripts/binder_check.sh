#!/usr/bin/env bash
# Do what mybinder.org does with this repository, on this machine:
#   a fresh virtual environment, `pip install -r requirements.txt` only (no torch),
#   then run every chapter top to bottom with a Jupyter kernel from that environment.
# Prints the install time and size and each chapter's time, with a warning for a chapter over
# its 30 s budget. Exits non-zero if the install fails, if torch got installed, or if a chapter
# fails.
# Usage: bash scripts/binder_check.sh        (PYTHON=python3.11 to pick the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/relu-notes-binder.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
VENV="$WORK/venv"

# Nothing from the calling environment leaks into the fresh one.
unset PYTHONPATH PYTHONHOME PYTHONUSERBASE VIRTUAL_ENV
export PYTHONNOUSERSITE=1 JUPYTER_PREFER_ENV_PATH=1

echo "== fresh venv in $VENV, pip install -r requirements.txt"
start_ns=$(date +%s%N)
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -qq --disable-pip-version-check -r requirements.txt
install_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
install_mb=$(du -sm "$VENV" | cut -f1)
printf 'install time: %d.%01d s\ninstall size: %s MB (du -sm of the venv)\n' \
    $((install_ms / 1000)) $((install_ms % 1000 / 100)) "$install_mb"

if "$VENV/bin/python" -m pip show torch >/dev/null 2>&1; then
    echo "FAIL: torch was installed by requirements.txt" >&2
    exit 1
fi
echo "torch: not installed (as on Binder)"

echo "== executing every chapter with the venv's kernel"
# (ipykernel warns on stderr about its default local TCP transport: not a problem here.)
"$VENV/bin/python" scripts/run_chapters.py --expect-prefix "$VENV" \
    2> >(grep -v "Kernel is running over TCP without encryption" >&2)
