"""Optional dependencies: the course runs without PyTorch (Binder installs no torch)."""

TORCH_MISSING = "PyTorch is not installed here, so the PyTorch comparison is skipped."
"""What a chapter prints instead of a PyTorch comparison when torch is missing."""


def import_torch():
    """Return the ``torch`` module, or ``None`` when PyTorch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    return torch
