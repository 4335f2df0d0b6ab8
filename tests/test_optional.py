import subprocess
import sys

from relu_notes.optional import TORCH_MISSING, import_torch


def test_import_torch_matches_what_is_installed():
    try:
        import torch
    except ImportError:
        torch = None
    assert import_torch() is torch


def test_import_torch_returns_none_without_torch():
    # A child interpreter in which `import torch` fails, as on Binder.
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from relu_notes.optional import import_torch\n"
        "print(import_torch() is None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    assert "skipped" in TORCH_MISSING
