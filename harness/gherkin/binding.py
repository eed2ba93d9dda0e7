"""Bind feature files to tests with names that stay put: a drop-in for `pytest_bdd.scenarios`.

pytest-bdd names a test after its scenario with every non-word character dropped, and tells
clashing names apart by a counter. Japanese titles that differ only in punctuation (`、`, `（）`)
then get numbered names that change when scenarios move. Here punctuation becomes `_`, and a
name that still clashes gets a short hash of its feature file and title instead of a counter.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pytest_bdd import scenario
from pytest_bdd.feature import get_features
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.utils import registry_get_safe

from harness.gherkin.limits import check_feature_file

__all__ = ["register_tags_with", "scenarios"]

_NOT_WORD = re.compile(r"\W+")

TagRegistrar = Callable[[str], None]
_tag_registrars: list[TagRegistrar] = []


def register_tags_with(registrar: TagRegistrar) -> Callable[[], None]:
    """Tell `registrar` every Examples-block tag of the feature files bound from now on (pytest-bdd
    marks those tests without its tag hook, so `--strict-markers` refused them); returns the undo."""
    _tag_registrars.append(registrar)
    return lambda: _tag_registrars.remove(registrar)


def scenario_test_name(title: str) -> str:
    """`test_` and the title, lower-cased, with runs of spaces and punctuation made one `_`."""
    words = _NOT_WORD.sub("_", unicodedata.normalize("NFKC", title)).strip("_").lower()
    return f"test_{words}"


def scenarios(*feature_paths: str, features_base_dir: str | None = None) -> None:
    """Bind every scenario of the given feature files or directories as tests of the calling module.

    Relative paths are read from `features_base_dir`, by default the calling module's directory.
    Scenarios the module already bound with `@scenario` are left alone. Each file is checked against
`harness.gherkin.limits` before pytest-bdd parses it.
    """
    caller = sys._getframe(1)
    module = caller.f_locals
    base = Path(features_base_dir or Path(caller.f_globals["__file__"]).parent)
    bound = {(template.feature.filename, template.name) for value in list(module.values())
             if (template := registry_get_safe(scenario_wrapper_template_registry, value)) is not None}
    resolved = [(base / path).resolve() for path in feature_paths]
    for file in (found for path in resolved for found in (sorted(path.rglob("*.feature")) if path.is_dir()
                                                           else [path])):
        check_feature_file(file, _display(file))
    for feature in get_features([str(path) for path in resolved]):
        for tag in {tag for template in feature.scenarios.values() for examples in template.examples
                    for tag in examples.tags}:
            for registrar in _tag_registrars:
                registrar(tag)
        for title in feature.scenarios:
            if (feature.filename, title) in bound:
                continue
            name = scenario_test_name(title)
            if name in module:
                where = Path(os.path.relpath(feature.filename, base)).as_posix()
                digest = hashlib.sha1(f"{where}\n{title}".encode()).hexdigest()[:6]
                name = f"{name}_{digest}"
            module[name] = scenario(feature.filename, title, features_base_dir=str(base))(_bound)


def _display(path: Path) -> str:
    """The path as errors show it: relative to the working directory when it is inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _bound() -> None:
    """The body of a bound scenario: its steps are the test."""
