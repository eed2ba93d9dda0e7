"""The pytest plugin of the harness (entry point `amazon_pay_harness`, loaded on install).

Fixtures: `amazon_pay_simulator` (fresh per test, seedable), `seller_central`, `merchant` (the
reference merchant unless `amazon_pay_merchant = package.module:factory` is set in the ini file or
with `--amazon-pay-merchant`, or the fixture is overridden) and `scenario_world`. A merchant given
as `http://...` is a shop in another process driven over HTTP (`harness.merchant.http`); the
simulator is then served to it over HTTP by one server for the session (`amazon_pay_server`,
on `--amazon-pay-server-port`), instead of to httpx in-process. `amazon_pay_checkout_flow =
button` (`--amazon-pay-checkout-flow`) starts every checkout through Amazon Pay's button (the
adapter's `render_button` and `handle_review`) instead of its `start_checkout`. It registers the
Gherkin steps of the vocabulary, keeps the merchant's `datetime.now()` on the simulator's clock
while each simulator test runs and on the real clock otherwise (freezegun started once per
process), lists the closest known steps when a step is undefined, and shows Japanese outline ids
unescaped. A bad merchant factory is one usage error (exit 4) at session start.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Generator, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import freezegun
import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from harness.capabilities import (
    BUTTON_FLOW_UNSUPPORTED,
    CAPABILITIES,
    Capability,
    UnknownCapabilityError,
    read_unsupported,
)
from harness.gherkin.binding import register_tags_with
from harness.gherkin.ids import show_examples_unescaped
from harness.gherkin.suggest import describe_undefined
from harness.ids import Environment
from harness.merchant.adapter import MerchantAdapter, MerchantFactory
from harness.merchant.http import HttpMerchant, is_http_spec
from harness.merchant_time import MerchantTime
from harness.scenario.parsing import ScenarioValueError, parse_moment
from harness.scenario.serving import serving
from harness.scenario.world import ScenarioWorld
from harness.seller_central import SellerCentral
from harness.simulator import Simulator

if TYPE_CHECKING:  # the server (uvicorn, jsonschema, certificates) loads only with an http:// merchant
    from harness.api.mount import OtherHosts
    from harness.server.following import FollowingServer

__all__ = ["amazon_pay_server", "amazon_pay_simulator", "merchant", "merchant_spec", "scenario_world",
           "seller_central", "world_of"]

pytest_plugins = ("harness.gherkin.steps", "harness.gherkin.failures", "harness.report.plugin",
                  "harness.explore.fixture")
"""The vocabulary's steps (declared in the top-level `steps/` directory, installed as
`harness.steps`) registered with pytest-bdd, the reporting hooks, the failure output and the
`amazon_pay_explore` fixture."""

MERCHANT_OPTION = "amazon_pay_merchant"
SEED_OPTION = "amazon_pay_seed"
OTHER_HOSTS_OPTION = "amazon_pay_other_hosts"
PORT_OPTION = "amazon_pay_server_port"
UNSUPPORTED_OPTION = "amazon_pay_unsupported"
START_OPTION = "amazon_pay_start"
LIVE_TAG = "live"
"""The tag (marker) of a scenario that runs on a Live simulator."""
FLOW_OPTION = "amazon_pay_checkout_flow"
FLOWS = ("session", "button")
"""How "the merchant starts a checkout" runs: the shop's Create Checkout Session, or Amazon Pay's button."""
DEFAULT_MERCHANT = "harness.merchant.reference:reference_merchant"

_WORLD = pytest.StashKey[ScenarioWorld]()
_STEP_FAILED = pytest.StashKey[bool]()
_STARTED_MERCHANT_TIME = pytest.StashKey[bool]()
_UNSUPPORTED = pytest.StashKey[tuple[Capability, ...]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--amazon-pay-merchant` / `amazon_pay_merchant` and `--amazon-pay-seed` / `amazon_pay_seed`."""
    group = parser.getgroup("amazon-pay-harness", "Amazon Pay scenario harness")
    group.addoption("--amazon-pay-merchant", dest=MERCHANT_OPTION, metavar="MODULE:FACTORY|URL",
                    help="the merchant the scenarios drive: a callable taking the Simulator and returning "
                         "a MerchantAdapter, or the http:// base URL of a shop's HTTP adapter "
                         f"(default {DEFAULT_MERCHANT})")
    group.addoption("--amazon-pay-server-port", dest=PORT_OPTION, type=int, metavar="PORT",
                    help="with an http:// merchant: the 127.0.0.1 port the simulator is served on, the "
                         "shop's HTTPS_PROXY (default 0: any free port)")
    group.addoption("--amazon-pay-seed", dest=SEED_OPTION, type=int, metavar="N",
                    help="seed of the simulator's ids (default 0)")
    group.addoption("--amazon-pay-unsupported", dest=UNSUPPORTED_OPTION, action="append", metavar="TAGS",
                    help="capabilities the shop does not implement (e.g. recurring,overcharge): their "
                         "scenarios are skipped (default: the ini option)")
    group.addoption("--amazon-pay-checkout-flow", dest=FLOW_OPTION, choices=FLOWS,
                    help="how 'the merchant starts a checkout' runs: session (the shop calls Create "
                         "Checkout Session, the default) or button (the shop renders Amazon Pay's button "
                         "and handles the review page: render_button, handle_review)")
    parser.addini(MERCHANT_OPTION, "the merchant factory, MODULE:FACTORY", default="")
    parser.addini(FLOW_OPTION, "how 'the merchant starts a checkout' runs: session (default) or button",
                  default="session")
    parser.addini(UNSUPPORTED_OPTION, "capabilities the shop does not implement, e.g. recurring overcharge "
                                      "(see docs/capabilities.md): their scenarios are skipped", type="args",
                  default=[])
    parser.addini(SEED_OPTION, "seed of the simulator's ids", default="0")
    parser.addini(START_OPTION, "when every simulator starts, e.g. 2026-01-31T10:00+09:00 (default "
                                "2026-01-05 09:00 JST)", default="")
    parser.addini(OTHER_HOSTS_OPTION, "requests to hosts other than Amazon Pay's while a simulator runs: "
                                      "pass (default) or block", default="pass")
    parser.addini(PORT_OPTION, "with an http:// merchant: the port the simulator is served on", default="0")


PYTEST_CLOCKS = ("_pytest.timing", "pytest_bdd.reporting", "harness.yaml.runner")
"""Where pytest, pytest-bdd and the YAML runner read time for durations: freezegun leaves them on the
real clock."""

SERVER_CLOCKS = ("asyncio", "uvicorn", "harness.server")
"""A `harness serve` started inside the test process keeps real time: its event loop's timers, its
certificates' validity (checked by OpenSSL against the real clock) and the wall clock (D-SERVER-CLOCK)."""


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker and note whether merchant time is already running.

    Merchant time is frozen on the simulated clock; pytest's and pytest-bdd's own clocks must not
    be, or JUnit, --durations and Cucumber JSON would show simulated days as test durations.
    """
    freezegun.configure(extend_ignore_list=[*PYTEST_CLOCKS, *SERVER_CLOCKS])
    config.addinivalue_line("markers", "amazon_pay(seed=0, start='2026-01-31T10:00+09:00', "
                                       "environment='live'): settings of the test's Amazon Pay simulator")
    config.addinivalue_line("markers", f"{LIVE_TAG}: run the scenario on a Live simulator (Sandbox "
                                       "otherwise), for what only Live does (a capture 7 days after the "
                                       "authorization is asynchronous)")
    for capability in CAPABILITIES:
        config.addinivalue_line("markers", f"{capability.tag}: needs {capability.doc}")
    tags = _TagRegistrar(config)
    config.pluginmanager.register(tags, "amazon_pay_tags")
    config.add_cleanup(register_tags_with(tags.register))
    option = config.getoption(UNSUPPORTED_OPTION)
    declared = list(option or config.getini(UNSUPPORTED_OPTION))
    if _checkout_flow(config) == "button":
        declared.append(BUTTON_FLOW_UNSUPPORTED)
    try:
        config.stash[_UNSUPPORTED] = read_unsupported(declared)
    except UnknownCapabilityError as error:
        raise pytest.UsageError(f"{UNSUPPORTED_OPTION}: {error}") from None
    start = config.getini(START_OPTION)
    if start:  # one usage error for a bad ini value, not one error per scenario
        try:
            parse_moment(str(start))
        except ScenarioValueError as error:
            raise pytest.UsageError(f"{START_OPTION}: {error}") from None
    if _checkout_flow(config) not in FLOWS:
        raise pytest.UsageError(f"{FLOW_OPTION} = {_checkout_flow(config)!r}: use session or button")
    config.stash[_STARTED_MERCHANT_TIME] = MerchantTime.active()


def _checkout_flow(config: pytest.Config) -> str:
    return str(config.getoption(FLOW_OPTION) or config.getini(FLOW_OPTION)).strip()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop freezegun if this session started it, before pytest reports durations."""
    if not session.config.stash.get(_STARTED_MERCHANT_TIME, True):
        MerchantTime.stop()


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """After every test, merchant time is the real clock again, however the test left it.

    A test that ran a simulator without the `amazon_pay_simulator` fixture (or moved merchant time
    itself) would otherwise leave `datetime.now()` at a simulated moment for the next test: a
    server started then (`harness serve` in a thread) issued certificates already expired.
    """
    if MerchantTime.active():
        MerchantTime.pause()


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def amazon_pay_simulator(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A fresh Sandbox/JP simulator serving httpx and requests on Amazon's hosts; merchant time follows
    its clock. Other hosts pass through unless the ini option `amazon_pay_other_hosts = block`.

    The seed comes from `@pytest.mark.amazon_pay(seed=N)`, `--amazon-pay-seed` or the ini option; the
    start from `@pytest.mark.amazon_pay(start="2026-01-31T10:00+09:00")` or the ini option `amazon_pay_start`;
    a Live simulator with the tag `@live` (YAML `tags: [live]`) or `amazon_pay(environment="live")`.
    With an http:// merchant it is served over HTTP by `amazon_pay_server` instead, and merchant
    time is the shop's own, real clock (D-SERVER-CLOCK).
    """
    simulator = Simulator(seed=_seed(request), start=_start(request), environment=_environment(request))
    if is_http_spec(merchant_spec(request.config)):
        request.getfixturevalue("amazon_pay_server").follow(simulator)
        yield simulator
        return
    with serving(simulator, _other_hosts(request.config)):  # real time again when it ends
        yield simulator


@pytest.fixture
def seller_central(amazon_pay_simulator: Simulator) -> SellerCentral:
    """The simulator's Seller Central transaction view."""
    return amazon_pay_simulator.seller_central


@pytest.fixture
def merchant(amazon_pay_simulator: Simulator, request: pytest.FixtureRequest) -> MerchantAdapter:
    """The merchant under test, built by the configured factory (override the fixture to replace it).

    An `http://` merchant is a shop in any language behind the HTTP contract (docs/merchant-adapter.md).
    A factory that returns no `MerchantAdapter` stops the whole run with one usage error (exit 4):
    every other scenario would fail the same way.
    """
    spec = merchant_spec(request.config)
    if is_http_spec(spec):
        server: FollowingServer = request.getfixturevalue("amazon_pay_server")
        return HttpMerchant.for_scenario(spec, amazon_pay_simulator, server.proxy_url)
    adapter = configured_factory(request.config)(amazon_pay_simulator)
    if not isinstance(adapter, MerchantAdapter):
        missing = [name for name in _ADAPTER_METHODS if not callable(getattr(adapter, name, None))]
        pytest.exit(f"{MERCHANT_OPTION} = {spec!r} returned {adapter!r}, which lacks "
                    f"{', '.join(missing)} of harness.merchant.adapter.MerchantAdapter "
                    "(see docs/merchant-adapter.md)", returncode=pytest.ExitCode.USAGE_ERROR)
    return adapter


_ADAPTER_METHODS = tuple(name for name in dir(MerchantAdapter)
                         if not name.startswith("_") and callable(getattr(MerchantAdapter, name)))
_FACTORY = pytest.StashKey[MerchantFactory]()


def merchant_spec(config: pytest.Config) -> str:
    """The configured merchant: `--amazon-pay-merchant`, the ini option, or the reference merchant."""
    return str(config.getoption(MERCHANT_OPTION) or config.getini(MERCHANT_OPTION) or DEFAULT_MERCHANT)


def configured_factory(config: pytest.Config) -> MerchantFactory:
    """The configured merchant factory, loaded once per process (a bad one is a `pytest.UsageError`)."""
    if _FACTORY not in config.stash:
        config.stash[_FACTORY] = load_factory(merchant_spec(config))
    return config.stash[_FACTORY]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Load the merchant factory once, before any test (scenario steps would ask for it one by one).

    A bad `amazon_pay_merchant` is one usage error (exit 4), not one failure per scenario. Under
    xdist the controller checks it; each worker loads it again with its first scenario.
    """
    if not hasattr(session.config, "workerinput") and not is_http_spec(merchant_spec(session.config)):
        configured_factory(session.config)


@pytest.fixture(scope="session")
def amazon_pay_server(request: pytest.FixtureRequest) -> Iterator[FollowingServer]:
    """The session's `harness serve` server on 127.0.0.1 (the shop's HTTPS_PROXY), stopped at the end.

    Started only when asked for (an http:// merchant); its port is `--amazon-pay-server-port` or
    the `amazon_pay_server_port` ini option (0: any free port, see `proxy_url`).
    """
    option = request.config.getoption(PORT_OPTION)
    port = int(option if option is not None else request.config.getini(PORT_OPTION) or 0)
    from harness.server.certificates import default_ca_dir  # noqa: PLC0415  # only for http:// shops
    from harness.server.following import following_server  # noqa: PLC0415

    with following_server(default_ca_dir(), port) as server:
        yield server


@pytest.fixture
def scenario_world(amazon_pay_simulator: Simulator, merchant: MerchantAdapter,
                   request: pytest.FixtureRequest) -> Iterator[ScenarioWorld]:
    """The scenario's actors, orders, expectations and timeline."""
    world = ScenarioWorld(amazon_pay_simulator, merchant,
                          button_flow=_checkout_flow(request.config) == "button")
    request.node.stash[_WORLD] = world
    yield world
    del request.node.stash[_WORLD]  # the test item lives on to the session's end; the world must not


def world_of(item: pytest.Item) -> ScenarioWorld | None:
    """The world of the test running now (None after its teardown or for tests without one)."""
    return item.stash.get(_WORLD, None)


def load_factory(spec: str) -> MerchantFactory:
    """The callable named by `package.module:attribute` (the attribute may be dotted)."""
    module_name, colon, attribute = spec.partition(":")
    if not colon or not module_name or not attribute:
        raise pytest.UsageError(f"{MERCHANT_OPTION} = {spec!r}: write it as package.module:factory "
                                "or as the http://127.0.0.1:PORT/... URL of a shop's HTTP adapter")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as error:
        raise pytest.UsageError(f"{MERCHANT_OPTION} = {spec!r}: {error}") from error
    if not callable(target):
        raise pytest.UsageError(f"{MERCHANT_OPTION} = {spec!r} is not callable")
    return cast(MerchantFactory, target)


def _other_hosts(config: pytest.Config) -> OtherHosts:
    value = str(config.getini(OTHER_HOSTS_OPTION)).strip()
    if value not in ("pass", "block"):
        raise pytest.UsageError(f"{OTHER_HOSTS_OPTION} = {value!r}: write pass or block")
    return "block" if value == "block" else "pass"


def _start(request: pytest.FixtureRequest) -> datetime | None:
    marker = request.node.get_closest_marker("amazon_pay")
    where, text = (("@pytest.mark.amazon_pay(start=...)", marker.kwargs["start"])
                   if marker is not None and "start" in marker.kwargs
                   else (START_OPTION, request.config.getini(START_OPTION)))
    if isinstance(text, datetime) or not text:
        return text or None
    try:
        return parse_moment(str(text))
    except ScenarioValueError as error:
        raise pytest.UsageError(f"{where}: {error}") from None


def _environment(request: pytest.FixtureRequest) -> Environment:
    """Live with the `@live` tag or `@pytest.mark.amazon_pay(environment="live")`; Sandbox otherwise."""
    marker = request.node.get_closest_marker("amazon_pay")
    if marker is not None and "environment" in marker.kwargs:
        written = str(marker.kwargs["environment"])
        try:
            return Environment(written.capitalize())
        except ValueError:
            raise pytest.UsageError(f"@pytest.mark.amazon_pay(environment={written!r}): write 'live' or "
                                    "'sandbox'") from None
    return Environment.LIVE if request.node.get_closest_marker(LIVE_TAG) is not None else Environment.SANDBOX


def _seed(request: pytest.FixtureRequest) -> int:
    marker = request.node.get_closest_marker("amazon_pay")
    if marker is not None and "seed" in marker.kwargs:
        return int(marker.kwargs["seed"])
    option = request.config.getoption(SEED_OPTION)
    return int(option if option is not None else request.config.getini(SEED_OPTION))


# --- pytest-bdd hooks --------------------------------------------------------------------------


def pytest_bdd_step_error(request: pytest.FixtureRequest) -> None:
    """Remember that a step failed, so the end-of-scenario check does not hide that failure."""
    request.node.stash[_STEP_FAILED] = True


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, step: Step,
                                      exception: Exception) -> None:
    """An undefined step: add the closest known steps to the error pytest-bdd is about to raise."""
    request.node.stash[_STEP_FAILED] = True
    exception.args = (describe_undefined(step, str(exception)),)



def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Feature, scenario: Scenario) -> None:
    """Fail a scenario whose steps passed but left an operator refusal no step expected."""
    world = request.node.stash.get(_WORLD, None)
    if world is not None and not request.node.stash.get(_STEP_FAILED, False):
        world.finish()


class _TagRegistrar:
    """Registers every tag of the feature files as a marker, so `--strict-markers` accepts them."""

    def __init__(self, config: pytest.Config) -> None:
        self._config = config

    def register(self, tag: str) -> None:
        """Register `tag` as a marker, once."""
        if tag not in {line.split(":")[0].split("(")[0].strip() for line in self._config.getini("markers")}:
            self._config.addinivalue_line("markers", f"{tag}: tag of a feature file")

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_apply_tag(self, tag: str) -> None:
        """Register `tag` (once), then let pytest-bdd apply it as usual."""
        self.register(tag)


# --- collection --------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Show Scenario Outline example ids unescaped; first, so -k, --lf and xdist see them too. Skip
    the scenarios that need a capability the shop declared unsupported."""
    show_examples_unescaped(items)
    unsupported = config.stash.get(_UNSUPPORTED, ())
    for item in items if unsupported else ():
        tags = {mark.name for mark in item.iter_markers()}
        needed = [capability for capability in unsupported if capability.tag in tags]
        if needed:
            listed = ", ".join(f"@{capability.tag} ({capability.doc})" for capability in needed)
            by_flow = [capability.tag for capability in needed] == [BUTTON_FLOW_UNSUPPORTED]
            why = (f"which the button flow ({FLOW_OPTION} = button) never does" if by_flow
                   else f"which {UNSUPPORTED_OPTION} declares the shop does not support")
            item.add_marker(pytest.mark.skip(reason=f"needs {listed}, {why}"))


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, pytest.CollectReport,
                                                                         pytest.CollectReport]:
    """After each file is collected: collect its garbage, then exempt what is left from full passes.

    Collection makes objects that live until the process ends (items, markers, fixture closures), and
    every automatic full pass of the garbage collector walked all the items made so far: 1.85 s of
    the 5.45 s of CPU it took to collect 10,000 YAML scenarios, growing faster than the suite
    (docs/performance.md, P5). The pass made here walks only what the file made; what the file left in
    cycles is freed before it is exempted (`pytest_collection_finish` does the same for what came
    after the last file).
    """
    report = yield
    if isinstance(collector, pytest.File) and gc.isenabled():
        gc.collect()
        gc.freeze()
    return report


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Exempt what exists once collection is done from the garbage collector's full passes (last, so
    what the other plugins make when collection finishes, such as the step patterns, is exempt too).

    The harness's imports (the vocabulary, compiled step patterns, schemas) and the collected items
    live until the process ends; without this every full collection during the run walks them
    again, which made each test of a repository that loads the plugin ~0.4 ms slower
    (docs/performance.md). Objects made later are collected as usual.
    """
    gc.collect()
    gc.freeze()
