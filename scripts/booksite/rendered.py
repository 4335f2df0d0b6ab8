"""What a notebook viewer rendered, read back from the browser and checked against the source.

Shared by ``scripts/check_jupyterlab.py`` (Binder's JupyterLab with jupyterlab-myst) and
``scripts/check_colab.py`` (the Colab copies, rendered with nbconvert's HTML exporter). Both
open a page in Debian's Chromium, call :data:`CELLS_JS` to read every cell's rendered text, and
judge each Markdown cell with :func:`markdown_problems`:

- raw MyST left in the text (:func:`raw_myst`): a colon fence, a role such as ``{eval}`` or
  ``{ref}``, a ``(label)=`` line, a directive fence, a code block whose language is ``{...}``;
- a computed value that is missing, or an ``{eval}`` expression shown as code instead of its
  value (what jupyterlab-myst does when a cell has no stored ``user_expressions``);
- jupyterlab-myst's "Unknown Directive" box, and (:func:`unknown_roles`) a role it does not
  know, which it shows as its bare content.

:func:`unresolved_roles` describes the ``{ref}``/``{cite}`` roles jupyterlab-myst could not
resolve (a label in another notebook, a key of references.bib).

Text inside ``code``/``pre`` and typeset math is not searched for raw MyST (a code span may
quote a role on purpose); the whole rendered text, hidden dropdown and tab content included,
is searched for values.

:func:`check_each` runs such a check over many pages in one Chromium.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from relu_notes.inline import expressions, stored_text

from . import probe

SCREENSHOT_MAX_HEIGHT = 16_000
"""Chromium's limit for one capture: the most pixels a screenshot may be tall."""

RAW_MYST = re.compile(
    r":{3,}"  # a colon fence (:::{admonition}, a closing :::)
    r"|`{3,}\{"  # a directive fence (```{note})
    r"|\{(?:eval|ref|numref|eq|doc|cite(?::\w+)?|term|download|abbr|math|sub|sup)\}"
    r"|\{glue"  # {glue}, {glue:text}, {glue:figure}
    r"|(?<![\w)\]])\([\w-]+\)="  # a target label, (exp-dying)=, but not f(x)=
)
"""MyST markup that a reader must never see as text."""

MYST_ERROR = re.compile(r"Unknown (?:Directive|Role)")
"""How jupyterlab-myst titles the box it shows for a directive it does not know."""
ANY_ROLE = re.compile(r"\{(?P<role>[\w:+-]+)\}`(?P<body>[^`]*)`")
JUPYTERLAB_MYST_ROLES = frozenset(
    "eval ref numref eq doc download term abbr math sub sup subscript superscript u underline "
    "del strike s smallcaps kbd keyboard chem cite cite:p cite:t cite:ps cite:ts cite:alp "
    "cite:year".split()
)
"""Roles jupyterlab-myst 2.x renders (mystmd's role set); any other shows as its bare content."""

ROLE = re.compile(r"\{(?P<role>ref|cite(?::\w+)?)\}`(?P<body>[^`]+)`")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)

CELLS_JS = r"""(root) => {
  const scope = root ? document.querySelector(root) : document;
  const SKIP = 'code, pre, .katex, mjx-container, .MathJax, .MathJax_Display, script, style';
  const RENDERED = '.myst, .jp-RenderedMarkdown';
  scope.querySelectorAll('details').forEach(d => { d.open = true; });
  const prose = (el) => {
    if (!el) return '';
    const parts = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && !n.parentElement.closest(SKIP)) parts.push(n.textContent);
    }
    return parts.join('');
  };
  const texts = (el, sel) => el ? [...el.querySelectorAll(sel)].map(e => e.textContent.trim()) : [];
  const visible = (el) => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 4;
  return [...scope.querySelectorAll('.jp-Cell')].map(cell => {
    const markdown = cell.classList.contains('jp-MarkdownCell');
    const out = cell.querySelector('.jp-Cell-outputWrapper, .jp-Cell-outputArea, .jp-OutputArea');
    const input = cell.querySelector('.jp-InputArea-editor, .jp-Cell-inputArea .highlight');
    const md = markdown ? cell.querySelector(RENDERED) : null;
    return {
      markdown,
      rendered: !!md && (md.textContent.trim() !== '' || md.children.length > 0),
      myst: !!md && md.classList.contains('myst'),
      text: md ? md.textContent : '',
      prose: prose(md) + '\n' + prose(out),
      code: texts(md, 'code').concat(texts(out, 'code')),
      braceLanguages: [...(md ? md.querySelectorAll('[class*="language-{"]') : [])]
        .map(e => [...e.classList].find(c => c.startsWith('language-{'))),
      refNotFound: texts(md, '[title="Cross Reference Not Found"]'),
      citeNotFound: texts(md, '[title="Citation Not Found"]'),
      deadLinks: md ? [...md.querySelectorAll('a[href="#"]')].map(a => a.textContent.trim()) : [],
      mathErrors: texts(cell, 'mjx-merror, .katex-error, merror'),
      inputVisible: !markdown && visible(input),
    };
  });
}"""
"""Run with ``page.evaluate(CELLS_JS, root_selector)``: one dict per ``.jp-Cell`` (JupyterLab
and nbconvert's lab template share the class names). Opens every ``<details>`` first."""


@dataclass
class Finding:
    """One line of a report: ``FAIL`` (the check fails) or ``NOTE`` (reported only)."""

    level: str
    page: str
    cell: int
    message: str

    def __str__(self) -> str:
        return f"{self.level} {self.page} cell {self.cell}: {self.message}"


@dataclass
class PageResult:
    """What one page gave: findings, counts for the summary line, seconds, screenshot."""

    page: str
    cells: int = 0
    values: int = 0
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    screenshot: str = ""
    phases: dict[str, float] = field(default_factory=dict)

    def fail(self, cell: int, message: str) -> None:
        self.findings.append(Finding("FAIL", self.page, cell, message))

    def note(self, cell: int, message: str) -> None:
        self.findings.append(Finding("NOTE", self.page, cell, message))

    def print_findings(self) -> None:
        for finding in self.findings:
            print(finding, flush=True)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "FAIL"]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "NOTE"]

    def summary(self) -> str:
        verdict = "FAIL" if self.failures else "ok"
        shot = f"  {self.screenshot}" if self.screenshot else ""
        phases = " ".join(f"{name} {seconds:.1f}" for name, seconds in self.phases.items())
        return (
            f"{verdict:<4} {self.page:<26} {self.cells:>3} cells {self.values:>3} values "
            f"{len(self.failures):>3} problems {len(self.notes):>3} notes "
            f"{self.seconds:>5.1f} s{f' ({phases})' if phases else ''}{shot}"
        )

    def lap(self, name: str, since: float) -> float:
        """Record the seconds of phase ``name`` begun at ``since``; return the time now."""
        now = time.perf_counter()
        self.phases[name] = now - since
        return now


async def check_each(items, check, prepare=None) -> list[PageResult]:
    """``await check(target, item)`` for each of ``items``, in order, in one Chromium
    (:func:`probe.async_chromium`), printing each result's findings as it comes. ``target`` is
    the browser, or what ``await prepare(browser)`` returns (a page that every check reuses)."""
    results = []
    async with probe.async_chromium() as browser:
        target = await prepare(browser) if prepare else browser
        for item in items:
            result = await check(target, item)
            result.print_findings()
            results.append(result)
    return results


def report(results: list[PageResult], what: str, seconds: float, problems=()) -> int:
    """Print each page's summary line, then the verdict over ``results`` and the check's own
    ``problems``; return the exit status (1 if anything failed)."""
    print("== per page")
    for result in results:
        print(result.summary())
    n_fail = sum(len(result.failures) for result in results) + len(problems)
    n_note = sum(len(result.notes) for result in results)
    print(
        f"{'FAIL' if n_fail else 'ok'}: {len(results)} {what}, {n_fail} problems, "
        f"{n_note} notes, {seconds:.1f} s"
    )
    return 1 if n_fail else 0


def raw_myst(text: str) -> list[str]:
    """Each piece of MyST markup in ``text``, once, in order (``[":::", "{ref}"]``)."""
    return list(dict.fromkeys(m.group() for m in RAW_MYST.finditer(text)))


def markdown_problems(values: dict[str, str | None], state: dict) -> list[str]:
    """What is wrong in one rendered Markdown cell (``state`` from :data:`CELLS_JS`).

    ``values`` is ``{expression: text}`` of the source cell (``stored_text``); every text must
    be in the rendered cell, and no expression may be shown as code in its place.
    """
    found = [f"raw MyST {piece!r} in the text" for piece in raw_myst(state["prose"])]
    found += [f"a code block in {lang!r}: a MyST directive" for lang in state["braceLanguages"]]
    found += [f"math error {error!r}" for error in state["mathErrors"]]
    found += [f"a MyST error box: {error!r}" for error in MYST_ERROR.findall(state["prose"])]
    shown_as_code = set(state["code"])
    for expression, value in values.items():
        stored = "no value stored" if value is None else f"stored value {value!r}"
        if expression in shown_as_code:
            found.append(f"shows the expression `{expression}` instead of its value ({stored})")
        elif value is None:
            found.append(f"{{eval}}`{expression}`: no value stored (none, or an error)")
        elif value not in state["text"]:
            named = f", its name {expression!r} is" if expression in state["text"] else " is"
            found.append(f"value {value!r} of {{eval}}`{expression}` not shown{named} in the text")
    return found


def unknown_roles(source: str, state: dict, known: frozenset[str]) -> list[str]:
    """Roles of a Markdown ``source`` that the viewer does not know: jupyterlab-myst renders
    such a role (``{glue:text}`name```) as its bare content, the name instead of a value."""
    found = []
    for match in ANY_ROLE.finditer(source):
        if match["role"] not in known:
            seen = "shows " + repr(match["body"]) if match["body"] in state["text"] else "drops it"
            found.append(f"{match.group()}: a role the viewer does not know ({seen})")
    return found


def cell_values(cell) -> dict[str, str | None]:
    """``{expression: stored text}`` for every ``{eval}`` of a source Markdown cell (None where
    the cell stores no value or an error)."""
    stored = stored_text(cell)
    return {expression: stored.get(expression) for expression in expressions(cell.source)}


def roles(source: str) -> list[tuple[str, str, str | None]]:
    """The ``{ref}`` and ``{cite}`` roles of a Markdown source as ``(role source, target or
    key, explicit text or None)``; a citation of several keys gives one entry per key."""
    found = []
    for match in ROLE.finditer(source):
        body, whole = match["body"].strip(), match.group()
        if match["role"] == "ref":
            explicit = _EXPLICIT.match(body)
            found.append(
                (whole, explicit["target"], explicit["text"]) if explicit else (whole, body, None)
            )
        else:
            found += [(whole, key.strip(), None) for key in body.split(",")]
    return found


def unresolved_roles(source: str, state: dict) -> list[str]:
    """How the viewer showed each ``{ref}``/``{cite}`` it could not resolve (JupyterLab marks
    them "Cross Reference Not Found" / "Citation Not Found"; a ``{ref}`` with explicit text to
    another notebook becomes a link to ``#``). One sentence per role occurrence."""
    found_roles = roles(source)
    by_target = {target: whole for whole, target, _ in found_roles}
    by_text = {text: whole for whole, _, text in found_roles if text}
    found = []
    for label in state["refNotFound"]:
        whole = by_target.get(label, f"{{ref}}`{label}`?")
        found.append(f"{whole} shows the bare label {label!r}")
    for key in state["citeNotFound"]:
        whole = by_target.get(key, f"{{cite}}`{key}`?")
        found.append(f"{whole} shows the bare citation key {key!r}")
    for text in state["deadLinks"]:
        whole = by_text.get(text, f"a link {text!r}")
        found.append(f"{whole} shows its text {text!r} as a link to '#' (goes nowhere)")
    return found
