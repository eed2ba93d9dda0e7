"""pyproject.toml ships every package, with the top-level steps/ directory as `harness.steps`, and
installs every library they import.

`pip install amazon-pay-harness` installs `[project] dependencies` only: a third-party module that
shipped code imports (at the top or inside a function) but only an extra provides fails for a
merchant the first time that code runs, as `harness explore` did without hypothesis.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


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


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The nodes inside `if TYPE_CHECKING:` blocks (never imported when the code runs)."""
    return {inner for node in ast.walk(tree) if isinstance(node, ast.If)
            and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
            for statement in node.body for inner in ast.walk(statement)}


def _imported_at_run_time() -> dict[str, str]:
    """The top-level module of each absolute import in shipped code, with one place that imports it."""
    found: dict[str, str] = {}
    for path in sorted([*(ROOT / "harness").rglob("*.py"), *(ROOT / "steps").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_only(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and node not in skipped:
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node not in skipped:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _normalized(name: str) -> str:
    return name.lower().replace("_", "-")


def test_every_imported_library_is_a_dependency_not_an_extra() -> None:
    declared = {_normalized(Requirement(text).name) for text in PYPROJECT["project"]["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    undeclared = {module: where for module, where in _imported_at_run_time().items()
                  if module not in sys.stdlib_module_names and module not in {"harness", "steps"}
                  and not {_normalized(name) for name in providers.get(module, [module])} & declared}
    assert undeclared == {}, f"add to [project] dependencies in pyproject.toml: {undeclared}"
