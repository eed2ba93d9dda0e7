"""Collection runs with the garbage collector's automatic passes off; its garbage is gone before tests run.

The plugin is loaded in every pytest run of a shop's repository, so what it does to the collector must
leave the run as it found it: automatic passes back on for the tests (or off, if the project turned
them off), and the cycles collection left behind freed before the first test.
"""

from __future__ import annotations

from textwrap import dedent

import pytest

from tests.report.suite import YAML

pytest_plugins = ["pytester"]

RECORDING_CONFTEST = """\
import gc
import weakref

SEEN = {{}}


class Cycle:
    pass


def pytest_configure(config):
    {configure}


def pytest_collect_file(file_path, parent):
    SEEN.setdefault("collecting", gc.isenabled())
    if file_path.name == "test_after.py":  # garbage in a cycle, made while collecting
        cycle = Cycle()
        cycle.itself = cycle
        SEEN["cycle"] = weakref.ref(cycle)
"""

AFTER = """\
import gc

from conftest import SEEN


def test_after_collection():
    assert SEEN["collecting"] is False
    assert gc.isenabled() is {enabled}
    assert SEEN["cycle"]() is None
"""


@pytest.mark.parametrize(("configure", "enabled"), [("pass", True), ("gc.disable()", False)])
def test_collection_pauses_the_collector_and_frees_its_cycles(pytester: pytest.Pytester, configure: str,
                                                               enabled: bool) -> None:
    pytester.makeconftest(RECORDING_CONFTEST.format(configure=configure))
    pytester.makepyfile(test_after=AFTER.format(enabled=enabled))
    pytester.path.joinpath("dropoff.yaml").write_text(dedent(YAML), encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis")
    result.assert_outcomes(passed=2)
