"""Collect a `.feature` file directly, as if a test module bound it with `harness.gherkin.scenarios`.

Used by `harness run` (ini `amazon_pay_feature_files = true`), so QA can run feature files with no
Python test module of their own. In a normal pytest run, test modules bind feature files instead.
"""

from __future__ import annotations

import hashlib
import types
from pathlib import Path

import pytest

__all__ = ["collect_feature_file"]

_BINDING = "from harness.gherkin import scenarios as _bind_scenarios\n_bind_scenarios(__feature_file__)\n"


class FeatureModule(pytest.Module):
    """A feature file seen as a test module whose tests are its scenarios."""

    def _getobj(self) -> types.ModuleType:
        digest = hashlib.sha1(str(self.path).encode()).hexdigest()[:10]
        module = types.ModuleType(f"harness_feature_{digest}", f"Scenarios of {self.path.name}")
        module.__file__ = str(self.path)
        module.__dict__["__feature_file__"] = str(self.path)
        exec(compile(_BINDING, str(self.path), "exec"), module.__dict__)
        return module


def collect_feature_file(parent: pytest.Collector, path: Path) -> FeatureModule:
    """The collector of one feature file."""
    return FeatureModule.from_parent(parent, path=path)
