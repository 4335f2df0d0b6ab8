#!/usr/bin/env bash
# Do what mybinder.org does with this repository, on this machine:
#   1. a fresh virtual environment built the way repo2docker builds it: its own JupyterLab and
#      notebook first (`pip install jupyterlab notebook`), then `pip install -r requirements.txt`
#      over them (no torch);
#   2. run every chapter top to bottom with a Jupyter kernel from that environment
#      (scripts/run_chapters.py);
#   3. start `jupyter lab` from that environment (no token, root = this repository, a free port,
#      notebook windowing off through a settings override in a temporary directory, every
#      Jupyter config/data/settings directory temporary too, so nothing of this machine's
#      user setup counts, files served read-only so that it never saves a chapter) and open
#      every chapter in it with Playwright and Debian's chromium (scripts/check_jupyterlab.py);
#      the server is stopped on exit.
# Prints the install time and size, each chapter's time (a warning for one over its 30 s budget)
# and, per notebook, one line per problem JupyterLab shows, a summary line and a screenshot in
# _build/screenshots/jupyterlab/. Exits non-zero if the install fails, if torch got installed,
# if a chapter fails, or if JupyterLab shows a problem: jupyterlab-myst not installed or not
# active, raw MyST, a value missing or shown by its name, or a visible "google.colab" code cell.
# A {ref}/{cite} that jupyterlab-myst cannot resolve is reported (NOTE lines), not a failure.
#
# Usage: bash scripts/binder_check.sh
#   PYTHON=python3.11   the interpreter for the venv; it also runs check_jupyterlab.py, so it
#                       needs Playwright (requirements-dev.txt)
#   BINDER_VENV=DIR     keep the venv in DIR, and reuse it if DIR exists (no install: a
#                       developer's quick loop, not what Binder does)
#   BINDER_SKIP_CHAPTERS=1  skip step 2
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

PYTHON="${PYTHON:-python3}"
CHECKER_PYTHON="$(command -v "$PYTHON")"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/relu-notes-binder.XXXXXX")"
VENV="${BINDER_VENV:-$WORK/venv}"
LAB_PID=""

stop_lab() {
    if [[ -n "$LAB_PID" ]] && kill -0 "$LAB_PID" 2>/dev/null; then
        kill -TERM "$LAB_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$LAB_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$LAB_PID" 2>/dev/null || true
        wait "$LAB_PID" 2>/dev/null || true
    fi
    LAB_PID=""
}
cleanup() {
    stop_lab
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_versions() {  # "jupyterlab 4.4.10, notebook 7.4.7, ..." as installed in the venv
    "$VENV/bin/python" -m pip list --disable-pip-version-check 2>/dev/null |
        grep -i -E '^(jupyterlab|notebook|jupyterlab[-_]myst|jupyter[-_]server) ' |
        tr -s ' ' | paste -sd, - | sed 's/,/, /g'
}
seconds_since() {  # "12.3" seconds since the date +%s%N value $1
    local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
    printf '%d.%01d' $((ms / 1000)) $((ms % 1000 / 100))
}

# Nothing from the calling environment leaks into the fresh one.
unset PYTHONPATH PYTHONHOME PYTHONUSERBASE VIRTUAL_ENV
export PYTHONNOUSERSITE=1 JUPYTER_PREFER_ENV_PATH=1

if [[ -n "${BINDER_VENV:-}" && -x "$VENV/bin/python" ]]; then
    echo "== reusing the venv $VENV (BINDER_VENV): no install"
else
    echo "== fresh venv in $VENV, the repo2docker way:"
    echo "   pip install jupyterlab notebook; pip install -r requirements.txt"
    start_ns=$(date +%s%N)
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -qq --disable-pip-version-check jupyterlab notebook
    echo "repo2docker's own: $(lab_versions)"
    "$VENV/bin/python" -m pip install -qq --disable-pip-version-check -r requirements.txt
    echo "install time: $(seconds_since "$start_ns") s"
    echo "install size: $(du -sm "$VENV" | cut -f1) MB (du -sm of the venv)"
fi
echo "installed: $(lab_versions)"

if "$VENV/bin/python" -m pip show torch >/dev/null 2>&1; then
    echo "FAIL: torch was installed by requirements.txt" >&2
    exit 1
fi
echo "torch: not installed (as on Binder)"

if [[ -z "${BINDER_SKIP_CHAPTERS:-}" ]]; then
    echo "== executing every chapter with the venv's kernel"
    start_ns=$(date +%s%N)
    # (ipykernel warns on stderr about its default local TCP transport: not a problem here.)
    "$VENV/bin/python" scripts/run_chapters.py --expect-prefix "$VENV" \
        2> >(grep -v "Kernel is running over TCP without encryption" >&2)
    echo "chapters time: $(seconds_since "$start_ns") s"
fi

echo "== JupyterLab from the venv: every chapter in chromium"
start_ns=$(date +%s%N)
LAB="$WORK/lab"
mkdir -p "$LAB"/{config,data,runtime,settings,user-settings,workspaces}
# Every cell rendered, not only those near the viewport: the override of a deployment's defaults.
printf '{"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}\n' \
    >"$LAB/settings/overrides.json"
PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
# --allow-root: CI runs as root. --LabApp.expose_app_in_browser lets the checker open the next
# notebook in the loaded app instead of loading JupyterLab again for each one. The contents
# manager is read-only (scripts/booksite/readonly_contents.py): the notebooks JupyterLab opens
# are the chapters themselves, and JupyterLab would otherwise save the ones it marks changed
# and write .ipynb_checkpoints/ beside them.
PYTHONPATH="$REPO/scripts" JUPYTER_CONFIG_DIR="$LAB/config" JUPYTER_DATA_DIR="$LAB/data" \
    JUPYTER_RUNTIME_DIR="$LAB/runtime" JUPYTERLAB_SETTINGS_DIR="$LAB/user-settings" \
    JUPYTERLAB_WORKSPACES_DIR="$LAB/workspaces" \
    "$VENV/bin/jupyter" lab --no-browser --ip=127.0.0.1 --port="$PORT" \
    --ServerApp.port_retries=0 --IdentityProvider.token= --ServerApp.password= \
    --ServerApp.root_dir="$REPO" --LabApp.app_settings_dir="$LAB/settings" \
    --ServerApp.contents_manager_class=booksite.readonly_contents.ReadOnlyContentsManager \
    --LabApp.expose_app_in_browser=True --allow-root >"$LAB/server.log" 2>&1 &
LAB_PID=$!

ready=""
for _ in $(seq 120); do
    if ! kill -0 "$LAB_PID" 2>/dev/null; then break; fi
    if "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('$URL/api/status', timeout=2)" \
        2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.5
done
if [[ -z "$ready" ]]; then
    echo "FAIL: jupyter lab did not start at $URL; its log:" >&2
    tail -n 30 "$LAB/server.log" >&2
    exit 1
fi
echo "jupyter lab (pid $LAB_PID) at $URL after $(seconds_since "$start_ns") s"

status=0
"$CHECKER_PYTHON" scripts/check_jupyterlab.py "$URL" || status=$?
stop_lab
grep "read-only contents: refused" "$LAB/server.log" | sed 's/^.*refused/note: JupyterLab asked to/' || true
echo "jupyterlab time: $(seconds_since "$start_ns") s"
if [[ $status -ne 0 ]]; then
    echo "FAIL: JupyterLab shows problems (lines above; screenshots in" \
        "_build/screenshots/jupyterlab/)" >&2
    exit "$status"
fi
