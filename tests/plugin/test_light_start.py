"""A shop's scenario run on the embedded simulator imports only what it uses.

Every pytest process of a shop (each xdist worker too) loads the plugin through its entry point; the
HTTP server (uvicorn, certificates), `harness explore` (hypothesis) and the living documentation
(Jinja2, graphviz) load only when a run asks for them (docs/performance.md, "Serial against parallel
runs"). The runs disable schemathesis's plugin (the dev extra's; it imports hypothesis), which a shop's
environment does not have. `harness run` also leaves out hypothesis's own plugin, which imports all of
hypothesis at the end of a run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from textwrap import dedent

import pytest

from tests.plugin.test_plugin import DROP_OFF
from tests.report.suite import YAML

pytest_plugins = ["pytester"]

SCENARIO = dedent(YAML)
FEATURE = DROP_OFF.format(status="Canceled")

RECORD_MODULES = """\
import json
import sys


def pytest_{hook}({argument}):
    process = getattr({argument}.config if hasattr({argument}, "config") else {argument}, "workerinput",
                      {{}}).get("workerid", "main")
    with open(f"modules-{{process}}.json", "w", encoding="utf-8") as file:
        json.dump(sorted(sys.modules), file)
"""
"""A conftest writing the modules of each process when a hook runs."""

UNUSED = ("harness.server", "harness.explore.runner", "harness.report.living_doc", "harness.report.diagram",
          "harness.report.rendering", "hypothesis", "uvicorn", "jinja2", "graphviz", "jsonschema")
"""What a scenario run on the embedded simulator must not import (jsonschema only explains a bad file)."""

SHOP_ONLY = ("-p", "no:cacheprovider", "-p", "no:schemathesis")


def _imported(modules: list[str], name: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for module in modules)


def _unused_imported(pytester: pytest.Pytester) -> dict[str, list[str]]:
    """Per process (main, gw0, ...): the modules of UNUSED it imported."""
    processes = {path.stem.removeprefix("modules-"): json.loads(path.read_text(encoding="utf-8"))
                 for path in pytester.path.glob("modules-*.json")}
    assert processes, "no process recorded its modules"
    return {process: [name for name in UNUSED if _imported(modules, name)]
            for process, modules in processes.items()}


@pytest.mark.parametrize(("workers", "runner"), [([], "main"), (["-n", "1"], "gw0")],
                         ids=["serial", "xdist"])
def test_a_scenario_run_imports_no_server_explore_or_rendering(pytester: pytest.Pytester, workers: list[str],
                                                                runner: str) -> None:
    (pytester.path / "drop_off.yaml").write_text(SCENARIO, encoding="utf-8")
    (pytester.path / "drop_off.feature").write_text(FEATURE, encoding="utf-8")
    pytester.makeini("[pytest]\namazon_pay_feature_files = true\n")
    pytester.makeconftest(RECORD_MODULES.format(hook="sessionfinish", argument="session"))
    pytester.runpytest_subprocess(*SHOP_ONLY, *workers).assert_outcomes(passed=2)
    modules = json.loads((pytester.path / f"modules-{runner}.json").read_text(encoding="utf-8"))
    assert "harness.yaml.runner" in modules, "the scenarios ran in this process"
    unused = _unused_imported(pytester)
    assert unused == {process: [] for process in unused}


def test_harness_run_imports_none_of_them_to_its_end(pytester: pytest.Pytester) -> None:
    (pytester.path / "drop_off.yaml").write_text(SCENARIO, encoding="utf-8")
    pytester.makeconftest(RECORD_MODULES.format(hook="unconfigure", argument="config"))
    result = pytester.run(sys.executable, "-m", "harness.cli", "run", "drop_off.yaml", "--", "-p",
                          "no:schemathesis")
    assert result.ret == 0, result.stdout.str()
    assert _unused_imported(pytester) == {"main": []}


def test_harness_run_starts_without_the_server_or_explore() -> None:
    code = ("import sys, harness.cli; print(' '.join(name for name in sys.modules if name.startswith("
            "('harness.server', 'harness.explore.runner', 'hypothesis', 'uvicorn'))))")
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert imported.stdout.split() == []
