"""Page weight: bytes transferred per page, with shared theme and MathJax assets counted once.

A page's *own* bytes are its HTML plus everything it loads from outside ``_static/`` (its
figures in ``_images/``, downloads, data). ``_static/mathjax/`` is the bundled MathJax;
the rest of ``_static/`` plus ``searchindex.js`` is the theme, shared by every page (the
Bengali web font included). The same holds inside a translated edition's folder (``bn/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .editions import TRANSLATED
from .probe import PageReport

BUDGET_BYTES = 1_000_000  # per chapter page, own bytes only
_BROWSER_INITIATED = ("favicon.ico",)


def category(path: str) -> str:
    """``"mathjax"``, ``"theme"`` or ``"page"`` for a site-relative URL path (any edition)."""
    path = path.split("?", 1)[0]
    edition, _, rest = path.partition("/")
    if edition in TRANSLATED:
        path = rest
    if path.startswith("_static/mathjax/"):
        return "mathjax"
    if path.startswith("_static/") or path == "searchindex.js":
        return "theme"
    return "page"


@dataclass
class PageWeight:
    name: str
    html_bytes: int = 0
    asset_bytes: int = 0  # the page's own images and data
    assets: list[tuple[str, int]] = field(default_factory=list)

    @property
    def own_bytes(self) -> int:
        return self.html_bytes + self.asset_bytes


@dataclass
class SiteWeight:
    pages: list[PageWeight]
    shared: dict[str, dict[str, int]]  # category -> {path: bytes}, each URL once

    def shared_total(self, name: str) -> int:
        return sum(self.shared.get(name, {}).values())


def weigh(site_root: str, reports: dict[str, PageReport]) -> SiteWeight:
    """Split every page's transfers into its own bytes and shared (counted once) assets."""
    pages, shared = [], {"theme": {}, "mathjax": {}}
    for name, report in reports.items():
        weight = PageWeight(name)
        document = report.url.removeprefix(site_root).split("#", 1)[0]
        for transfer in report.transfers:
            path = transfer.url.removeprefix(site_root)
            if path in _BROWSER_INITIATED:
                continue
            kind = category(path)
            if path == document:
                weight.html_bytes += transfer.encoded_bytes
            elif kind == "page":
                weight.asset_bytes += transfer.encoded_bytes
                weight.assets.append((path, transfer.encoded_bytes))
            else:
                shared[kind][path] = max(shared[kind].get(path, 0), transfer.encoded_bytes)
        pages.append(weight)
    return SiteWeight(pages, shared)


def format_table(site: SiteWeight, reports: dict[str, PageReport], budget: int) -> str:
    """A plain-text table: one row per page, then the shared assets counted once."""
    rows = [
        f"{'page':<34} {'HTML kB':>8} {'own img/data kB':>16} {'page total kB':>14} "
        f"{'console errors':>15}  budget",
    ]
    for weight in site.pages:
        verdict = "ok" if weight.own_bytes <= budget else "OVER"
        errors = len(reports[weight.name].console_errors)
        rows.append(
            f"{weight.name:<34} {weight.html_bytes / 1e3:>8.1f} {weight.asset_bytes / 1e3:>16.1f} "
            f"{weight.own_bytes / 1e3:>14.1f} {errors:>15}  {verdict}"
        )
    theme, mathjax = site.shared_total("theme"), site.shared_total("mathjax")
    rows += [
        "",
        f"shared theme assets (counted once): {theme / 1e3:.1f} kB "
        f"in {len(site.shared['theme'])} files",
        f"shared MathJax assets (counted once): {mathjax / 1e3:.1f} kB "
        f"in {len(site.shared['mathjax'])} files",
        f"budget: {budget / 1e3:.0f} kB of own bytes per chapter page",
    ]
    return "\n".join(rows)
