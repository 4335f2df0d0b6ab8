"""torch is optional: relu_notes works without it and relu_notes.torch says how to get it.

Runs in a subprocess where ``import torch`` fails, so it holds whether or not torch is installed.
"""

import subprocess
import sys

HIDE_TORCH = "import sys; sys.modules['torch'] = None\n"  # makes `import torch` raise ImportError


def _run(code):
    return subprocess.run(
        [sys.executable, "-c", HIDE_TORCH + code], capture_output=True, text=True, timeout=60
    )


def test_package_works_without_torch():
    result = _run("import relu_notes; print(relu_notes.leaky_relu([-100.0, 2.0]).tolist())")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[-1.0, 2.0]"


def test_torch_module_raises_a_helpful_import_error():
    result = _run(
        "try:\n    import relu_notes.torch\nexcept ImportError as error:\n    print(error)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "pip install torch" in result.stdout
    assert "optional" in result.stdout
