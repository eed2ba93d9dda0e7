"""Every generated file is current: the one staleness test (`harness generate` rewrites them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.generate import GENERATED_FILES, render, stale_files, write_files

ROOT = Path(__file__).parents[1]


@pytest.mark.parametrize("relative", list(GENERATED_FILES), ids=str)
def test_the_committed_file_is_current(relative: Path) -> None:
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == render(ROOT, relative), f"{relative} is out of date: run `harness generate`"


def test_generate_writes_what_is_missing_or_stale_and_keeps_hand_written_prose(tmp_path: Path) -> None:
    fidelity = tmp_path / "docs" / "fidelity.md"
    fidelity.parent.mkdir()
    prose = (ROOT / "docs" / "fidelity.md").read_text(encoding="utf-8")
    fidelity.write_text(prose.replace("| D-", "| X-", 1), encoding="utf-8")  # a stale table
    assert set(stale_files(tmp_path)) == set(GENERATED_FILES)
    assert set(write_files(tmp_path)) == set(GENERATED_FILES)
    assert stale_files(tmp_path) == []
    assert fidelity.read_text(encoding="utf-8") == prose
