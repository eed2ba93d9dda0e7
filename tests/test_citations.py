"""Every citation of a reference note resolves inside the repository.

The code and docs cite the background notes by file and heading, for example
`docs/reference/amazon-pay-v2.md §2.3`, `docs/reference/seller-central.md Open 2` or
`docs/reference/design.md idea 3`. This test finds every such citation in the tracked text files and
checks two things: the file it names is in the repository (a bare note name, or one under another
directory, names nothing a reader can open), and the section, rule or idea it names is a heading of
that file. Each failure names the file and line of the citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = "docs/reference/"

SCANNED = ("harness", "steps", "features", "scenarios", "tests", "benchmarks", "docs", "README.md")
"""Top-level parts of the repository whose text files are scanned."""

TEXT_SUFFIXES = frozenset(
    {".py", ".md", ".feature", ".yaml", ".yml", ".txt", ".toml", ".json", ".cfg", ".ini", ".j2", ".html"}
)
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist", "reports"})

NOTE_NAMES = ("amazon-pay-v2", "seller-central", "official-sdks", "design", "DESIGN", "peers")
"""Stems of the background notes that the repository cites (and of their old names)."""

_SECTION = r"§\d+(?:\.\d+)*"
_CITATION = re.compile(
    r"(?<![\w.\-/])"
    r"(?P<prefix>(?:[\w.\-]+/)*)"
    rf"(?P<name>{'|'.join(re.escape(n) for n in NOTE_NAMES)})\.md"
    r"(?![\w\-])"
)
_LIST_SEP = r"\s*(?:,|-|–|and|to)\s*"
_SECTIONS = re.compile(rf"`?,?[ \t]+(?P<list>{_SECTION}(?:{_LIST_SEP}{_SECTION})*)")
_IDEA = re.compile(r"`?,?[ \t]+idea[ \t]+(?P<n>\d+)")
_NUMBERS = r"(?P<numbers>\d+(?:\s*(?:-|–|,|and)\s*\d+)*)"
_QUOTED_RULE = re.compile(rf"`?,?[ \t]+\"(?P<rule>[^\"\n]+)\"(?:[ \t]+{_NUMBERS})?")
_PLAIN_RULE = re.compile(rf"`?,?[ \t]+(?P<rule>[A-Z][\w\-]*(?:[ \t][A-Z][\w\-]*)*)(?:[ \t]+{_NUMBERS})?")
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")


@dataclass(frozen=True)
class Citation:
    """One citation of a reference note: where it is, what file it names, and which headings."""

    source: Path
    line: int
    text: str
    prefix: str
    name: str
    in_link: bool
    sections: tuple[str, ...] = ()
    ideas: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """`path:line` of the citation, relative to the repository root."""
        return f"{self.source.relative_to(ROOT).as_posix()}:{self.line}"

    @property
    def target(self) -> Path:
        """The file the citation names: a Markdown link is relative to its file, prose to the root."""
        base = self.source.parent if self.in_link else ROOT
        return (base / self.prefix / f"{self.name}.md").resolve()

    @property
    def resolves(self) -> bool:
        """Whether the named file is one of the repository's reference files."""
        reference = (ROOT / REFERENCE_DIR).resolve()
        if not self.in_link and self.prefix != REFERENCE_DIR:
            return False
        return self.target.parent == reference and self.target.is_file()


def _numbers(spec: str | None) -> list[int]:
    """`1`, `1, 2`, `1 and 2`, `1-5` or `1–5` as the numbers they name."""
    if not spec:
        return []
    out: list[int] = []
    for part in re.split(r"\s*(?:,|and)\s*", spec):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2:
            out.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            out.append(int(part))
    return out


def _fragments(rest: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The sections, ideas and rules named right after a citation's file name."""
    if m := _SECTIONS.match(rest):
        items = re.findall(_SECTION, m["list"])
        return tuple(s.removeprefix("§") for s in items), (), ()
    if m := _IDEA.match(rest):
        return (), (m["n"],), ()
    if m := _QUOTED_RULE.match(rest) or _PLAIN_RULE.match(rest):
        rule = m["rule"].strip()
        numbers = _numbers(m["numbers"])
        return (), (), tuple(f"{rule} {n}" for n in numbers) or (rule,)
    return (), (), ()


def _scanned_files() -> list[Path]:
    """The text files of the scanned parts of the repository, in a stable order."""
    files: list[Path] = []
    for top in SCANNED:
        path = ROOT / top
        if path.is_file():
            files.append(path)
            continue
        for candidate in sorted(path.rglob("*")):
            parts = candidate.relative_to(ROOT).parts
            if any(p.startswith(".") or p in SKIPPED_DIRS or p.endswith(".egg-info") for p in parts):
                continue
            if candidate.is_file() and candidate.suffix in TEXT_SUFFIXES:
                files.append(candidate)
    return files


def find_citations(path: Path) -> list[Citation]:
    """Every citation of a reference note in one file."""
    found: list[Citation] = []
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        for m in _CITATION.finditer(line):
            sections, ideas, rules = _fragments(line[m.end() :])
            found.append(
                Citation(
                    source=path,
                    line=number,
                    text=line.strip()[:160],
                    prefix=m["prefix"],
                    name=m["name"],
                    in_link=line[: m.start()].endswith("]("),
                    sections=sections,
                    ideas=ideas,
                    rules=rules,
                )
            )
    return found


def headings(path: Path) -> list[str]:
    """The heading texts of a Markdown file, outside fenced code blocks."""
    out: list[str] = []
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced and (m := _HEADING.match(line)):
            out.append(m["text"].replace("`", "").strip())
    return out


def missing_headings(citation: Citation) -> list[str]:
    """The sections, ideas and rules of a citation that are not headings of the file it names."""
    texts = [h.casefold() for h in headings(citation.target)]

    def starts(label: str) -> bool:
        want = label.casefold()
        return any(
            h == want or (h.startswith(want) and not re.match(r"\.?\d", h[len(want) :])) for h in texts
        )

    missing = [f"§{s}" for s in citation.sections if not starts(f"§{s}")]
    missing += [f"idea {i}" for i in citation.ideas if not starts(f"idea {i}")]
    missing += [r for r in citation.rules if not starts(r)]
    return missing


CITATIONS = [c for path in _scanned_files() for c in find_citations(path)]
WITH_HEADINGS = [c for c in CITATIONS if c.sections or c.ideas or c.rules]


def test_the_scan_finds_citations() -> None:
    """Guard against a pattern that silently matches nothing."""
    assert CITATIONS, "no citation of a reference note found; has the citation pattern broken?"


@pytest.mark.parametrize("citation", CITATIONS, ids=[c.where for c in CITATIONS])
def test_citation_names_a_file_in_the_repo(citation: Citation) -> None:
    """A citation names a file under docs/reference/ that exists, written from the repository root."""
    assert citation.resolves, (
        f"{citation.where}: cites {citation.prefix}{citation.name}.md, which is not a file of this"
        f" repository; cite it as {REFERENCE_DIR}<file>.md (see {REFERENCE_DIR}README.md)"
        f"\n    {citation.text}"
    )


@pytest.mark.parametrize("citation", WITH_HEADINGS, ids=[c.where for c in WITH_HEADINGS])
def test_citation_points_at_a_heading(citation: Citation) -> None:
    """The section, idea or rule a citation names is a heading of the file it names."""
    assert citation.resolves, f"{citation.where}: {citation.prefix}{citation.name}.md is not in the repo"
    missing = missing_headings(citation)
    assert not missing, (
        f"{citation.where}: {citation.target.relative_to(ROOT).as_posix()} has no heading for"
        f" {', '.join(missing)}\n    {citation.text}"
    )
