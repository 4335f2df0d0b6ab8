from relu_notes.optional import TORCH_MISSING, import_torch


def test_import_torch_matches_what_is_installed():
    try:
        import torch
    except ImportError:
        torch = None
    assert import_torch() is torch


def test_import_torch_returns_none_without_torch(run_without):
    # A child interpreter in which `import torch` fails, as on Binder.
    code = "from relu_notes.optional import import_torch\nprint(import_torch() is None)"
    out = run_without("torch", code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
    assert "skipped" in TORCH_MISSING
