"""torch is optional: relu_notes works without it and relu_notes.torch says how to get it.

Runs in a subprocess where ``import torch`` fails, so it holds whether or not torch is installed.
"""

import re


def test_package_works_without_torch(run_without):
    code = "import relu_notes; print(relu_notes.leaky_relu([-100.0, 2.0]).tolist())"
    result = run_without("torch", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[-1.0, 2.0]"


def test_torch_module_raises_a_helpful_import_error(run_without):
    result = run_without(
        "torch",
        "try:\n    import relu_notes.torch\nexcept ImportError as error:\n    print(error)\n",
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"`pip install [^`]*\btorch`", result.stdout), result.stdout
    assert "optional" in result.stdout
