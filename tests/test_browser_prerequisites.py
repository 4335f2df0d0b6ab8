"""A bare ``pytest`` in a fresh clone: the browser tests skip without playwright or a built site,
and fail instead when ``CI=true`` (see tests/browser/conftest.py).

Runs ``pytest tests/browser`` in a child process where ``import playwright`` raises ImportError
and ``RELU_NOTES_HTML`` names a directory that does not exist.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("yaml", reason="the browser tests read _toc.yml with PyYAML")


def _run_browser_tests(tmp_path, ci):
    hidden = tmp_path / "hide" / "playwright"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("playwright hidden by the test")\n')
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hidden.parent), env.get("PYTHONPATH")]))
    env["RELU_NOTES_HTML"] = str(tmp_path / "no-site")
    if ci is not None:
        env["CI"] = ci
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/browser",
        "-q",
        "-rsE",
        "-p",
        "no:cacheprovider",
    ]
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _last_line(result):
    """pytest's closing line, e.g. ``1 passed, 95 skipped in 0.55s``."""
    return result.stdout.strip().splitlines()[-1]


def test_browser_tests_skip_with_reasons_without_playwright_or_site(tmp_path):
    result = _run_browser_tests(tmp_path, ci=None)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = _last_line(result)
    assert "skipped" in summary and "error" not in summary and "failed" not in summary, output
    assert "playwright is not importable" in output
    assert "no built site at" in output


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_missing_prerequisites_fail(tmp_path, ci):
    result = _run_browser_tests(tmp_path, ci=ci)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    summary = _last_line(result)
    assert "error" in summary and "skipped" not in summary, output
    assert f"CI={ci}: browser tests must run in CI" in output
