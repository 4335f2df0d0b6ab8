"""The version is written once (relu_notes.__version__); the files that name it agree."""

import re
import sys
from pathlib import Path

import yaml

import relu_notes

ROOT = Path(__file__).resolve().parents[1]


def test_citation_names_the_version_and_the_repository():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert citation["version"] == relu_notes.__version__
    assert citation["repository-code"] == config["repository"]["url"]
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}


def test_changelog_starts_with_the_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## (\d+\.\d+\.\d+)", changelog, flags=re.MULTILINE)
    assert versions and versions[0] == relu_notes.__version__


def test_pyproject_reads_the_version_from_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "relu_notes.__version__" }' in pyproject


def test_footer_shows_the_version_and_the_licences(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "book" / "_ext"))
    sys.modules.pop("version_footer", None)
    import version_footer

    class Config:
        html_theme_options = {"logo": {}}

    config = Config()
    version_footer._add_footer(None, config)
    footer = config.html_theme_options["extra_footer"]
    assert f"relu-notes {relu_notes.__version__}" in footer
    assert "CC BY 4.0" in footer and "MIT" in footer
    assert config.html_theme_options["logo"] == {}


def test_licence_files_exist():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by/4.0/" in content
