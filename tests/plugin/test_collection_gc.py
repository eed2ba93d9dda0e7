"""Each collected file's garbage is freed and what it made is exempted from the collector's full passes.

The plugin is loaded in every pytest run of a shop's repository, so what it does to the garbage
collector must leave the run as it found it: cycles collection left behind are freed (a file's as soon
as it is collected, the rest when collection finishes), automatic passes stay on (or off, if the project
turned them off).
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


def make_garbage(name="cycle"):
    # garbage in a cycle: made while the first file is collected (imported), and after the last one
    cycle = Cycle()
    cycle.itself = cycle
    SEEN[name] = weakref.ref(cycle)


def look_back():
    # while the second file is collected
    SEEN["freed before the next file"] = SEEN["cycle"]() is None
    SEEN["frozen before the next file"] = gc.get_freeze_count() > 0


def pytest_collection_modifyitems(config, items):
    make_garbage("late cycle")
"""

FIRST = """\
from conftest import make_garbage

make_garbage()
"""

SECOND = """\
import gc

from conftest import SEEN, look_back

look_back()


def test_after_collection():
    assert SEEN["freed before the next file"] is {enabled}
    assert SEEN["frozen before the next file"] is {enabled}
    assert gc.isenabled() is {enabled}
    assert SEEN["cycle"]() is None
    assert SEEN["late cycle"]() is None
"""


@pytest.mark.parametrize(("configure", "enabled"), [("pass", True), ("gc.disable()", False)])
def test_collection_frees_each_files_cycles_and_keeps_the_collector_as_configured(
        pytester: pytest.Pytester, configure: str, enabled: bool) -> None:
    pytester.makeconftest(RECORDING_CONFTEST.format(configure=configure))
    pytester.makepyfile(test_a=FIRST, test_b=SECOND.format(enabled=enabled))
    pytester.path.joinpath("dropoff.yaml").write_text(dedent(YAML), encoding="utf-8")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:schemathesis")
    result.assert_outcomes(passed=2)
