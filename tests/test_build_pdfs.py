"""scripts/build_pdfs.py without chromium: the website stays, one line says how to get PDFs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
pytest.importorskip("yaml", reason="scripts/booksite reads _toc.yml with PyYAML")

import build_pdfs  # noqa: E402


@pytest.mark.parametrize(("flags", "status"), [([], 0), (["--require"], 1)])
def test_without_chromium_one_line_says_how(flags, status, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(build_pdfs, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(build_pdfs, "PDF_DIR", tmp_path / "pdf")
    assert build_pdfs.main(flags) == status
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "apt-get install chromium" in out
    assert not (tmp_path / "pdf").exists()
