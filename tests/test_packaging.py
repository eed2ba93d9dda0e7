"""pyproject.toml ships every package, with the top-level steps/ directory as `harness.steps`."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_under_harness_is_listed() -> None:
    found = {".".join(path.parent.relative_to(ROOT).parts) for path in (ROOT / "harness").rglob("*.py")
             if "__pycache__" not in path.parts}
    missing = found - set(SETUPTOOLS["packages"])
    assert not missing, f"add {sorted(missing)} to [tool.setuptools] packages in pyproject.toml"


def test_steps_ship_as_harness_steps() -> None:
    assert SETUPTOOLS["package-dir"] == {"harness.steps": "steps"}
    assert "harness.steps" in SETUPTOOLS["packages"]
    assert (ROOT / "steps" / "__init__.py").is_file()
    assert not (ROOT / "harness" / "steps").exists(), "harness.steps is the top-level steps/ directory"


def test_the_plugin_entry_point() -> None:
    entry_points = importlib.metadata.entry_points(group="pytest11")
    ours = [entry.value for entry in entry_points if entry.name == "amazon_pay_harness"]
    assert ours == ["harness.pytest_plugin"]
