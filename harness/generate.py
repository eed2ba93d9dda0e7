"""Every generated file of the repository, by path: `harness generate` writes them, `--check` checks.

Each is rendered from the code it documents (the vocabulary, the decisions table, the operation
table), so one staleness test (`tests/test_generated.py`) keeps them all current. A renderer gets
the file's current text (None if it does not exist yet), for pages that are generated in part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from harness.amazon_pay.decisions import DECISIONS_BEGIN, DECISIONS_END, render_decisions
from harness.api.coverage import render as render_coverage
from harness.capabilities import render_capabilities
from harness.explore.docs import EXPLORE_BEGIN, EXPLORE_END, render_explore
from harness.gherkin.catalogue import render_catalogue
from harness.server.openapi import AMAZON_PAY_PATH, CONTROL_PATH, amazon_pay_document, control_document
from harness.server.openapi import render as render_openapi
from harness.vocabulary.phrases import render_options
from harness.yaml.docs import render_docs
from harness.yaml.schema import SCHEMA_PATH, render_schema

__all__ = ["GENERATED_FILES", "render", "stale_files", "write_files"]

Renderer = Callable[[str | None], str]


def _between(page: str, begin: str, end: str, render_part: Callable[[], str]) -> Renderer:
    """A page generated in part: its text with `render_part()` put between the markers `begin` and `end`."""
    def renderer(current: str | None) -> str:
        head, found, rest = (current if current is not None else f"{begin}\n{end}\n").partition(begin)
        _, found_end, tail = rest.partition(end)
        if not (found and found_end):
            raise ValueError(f"{page} lacks the markers {begin} ... {end}")
        return f"{head}{begin}\n{render_part()}\n{end}{tail}"
    return renderer


GENERATED_FILES: Mapping[Path, Renderer] = {
    SCHEMA_PATH: lambda _: render_schema(),
    Path("docs/yaml-scenarios.md"): lambda _: render_docs(),
    Path("docs/steps.md"): lambda _: render_catalogue(),
    Path("docs/api-coverage.md"): lambda _: render_coverage(),
    CONTROL_PATH: lambda _: render_openapi(control_document()),
    AMAZON_PAY_PATH: lambda _: render_openapi(amazon_pay_document()),
    Path("docs/capabilities.md"): lambda _: render_capabilities(),
    Path("docs/checkout-options.md"): lambda _: render_options(),
    Path("docs/fidelity.md"): _between("docs/fidelity.md", DECISIONS_BEGIN, DECISIONS_END, render_decisions),
    Path("docs/explore.md"): _between("docs/explore.md", EXPLORE_BEGIN, EXPLORE_END, render_explore),
}


def render(root: Path, relative: Path) -> str:
    """What the generated file `relative` under `root` should hold now."""
    path = root / relative
    return GENERATED_FILES[relative](path.read_text(encoding="utf-8") if path.exists() else None)


def stale_files(root: Path) -> list[Path]:
    """The generated files under `root` that differ from what their code renders now."""
    return [relative for relative in GENERATED_FILES if not (root / relative).exists()
            or (root / relative).read_text(encoding="utf-8") != render(root, relative)]


def write_files(root: Path) -> list[Path]:
    """Rewrite the stale generated files under `root`; the paths written."""
    written = stale_files(root)
    for relative in written:
        text = render(root, relative)
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return written
