"""The pytest plugin, tested the way users use it: a new project with a feature file, run by pytest.

Each test writes a small project with `pytester` and runs pytest in a subprocess, so the plugin is
loaded through its entry point exactly as in another repository, and each run has its own process
(merchant time, freezegun) as a CI job would.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from textwrap import dedent

import pytest

pytest_plugins = ["pytester"]

DROP_OFF = """\
Feature: Dropped-off checkouts
  Scenario: The buyer drops off and Amazon cancels the checkout after 24 hours
    Given the merchant starts a checkout for the order of 5,000 JPY
    When the buyer pays
    And the buyer drops off before returning to the shop
    Then Seller Central shows the order as Open
    When 24 hours pass
    Then Seller Central shows the order as {status}
"""

BIND_ALL = "from harness.gherkin import scenarios\n\nscenarios('.')\n"


def project(pytester: pytest.Pytester, features: dict[str, str], test_module: str = BIND_ALL,
            **files: str) -> None:
    """Feature files, the module binding them, and any other files (name without .py -> source)."""
    for name, text in features.items():
        path = pytester.path / f"{name}.feature"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    pytester.makepyfile(test_features=test_module, **{name: dedent(source) for name, source in files.items()})


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_a_feature_passes_with_nothing_but_the_plugin(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled")})
    run(pytester).assert_outcomes(passed=1)


def test_pytest_bdds_own_scenarios_binding_works_too(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled")},
            "from pytest_bdd import scenarios\n\nscenarios('drop_off.feature')\n")
    run(pytester).assert_outcomes(passed=1)


def test_a_failed_expectation_shows_the_timeline_and_the_transaction_view(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Open")})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*expected Seller Central to show the order (S03-*) as Open, but it shows Canceled",
        "*Timeline of the scenario (simulated time):",
        "*UTC*JST*actor*what happened",
        "*2026-01-05 00:00:00*2026-01-05 09:00:00*merchant*starts a checkout for the order "
        "(¥5,000, Authorize)",
        "*2026-01-05 00:00:00*2026-01-05 09:00:00*time*1 day pass",
        "*2026-01-06 00:00:00*2026-01-06 09:00:00*state*CheckoutSession *: Open -> Canceled (Expired), "
        "because checkout session expired (24 h)",
        "*Seller Central transaction view at 2026-01-06 00:00:00 UTC (2026-01-06 09:00:00 JST):",
        "*Amazon Reference ID | Status*",
        "*S03-* | Canceled | ¥5,000*",
    ])


def test_an_undefined_step_lists_the_closest_known_steps(pytester: pytest.Pytester) -> None:
    project(pytester, {"typo": """\
        Feature: Typo
          Scenario: A step nobody defined
            Given the merchant starts a checkout for the order of 5,000 JPY
            When the buyer pay with card 1111
        """})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*Step definition is not found: When \"the buyer pay with card 1111\"*",
        "*The closest known steps are:",
        "*When the buyer[[] of {order}[]] pays[[] with the card ending in {card}[]]",
        "*e.g. the buyer of the order pays with the card ending in 1111",
    ])


def test_a_bad_value_says_what_was_expected(pytester: pytest.Pytester) -> None:
    project(pytester, {"bad": DROP_OFF.format(status="Cancelled-ish")})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*'Cancelled-ish' is not a Seller Central status; expected one of Open, *"])


def test_a_failure_starts_with_the_steps_place_and_shows_no_framework_internals(
        pytester: pytest.Pytester) -> None:
    project(pytester, {"features/drop_off": DROP_OFF.format(status="Open")})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    result.stdout.fnmatch_lines([
        "*_ test_the_buyer_drops_off_and_amazon_cancels_the_checkout_after_24_hours _*",
        "features/drop_off.feature:8: Then Seller Central shows the order as Open",
        "expected Seller Central to show the order (S03-*) as Open, but it shows Canceled",
        "",
        "Timeline of the scenario (simulated time):",
    ])
    for internal in ("pytest_bdd", "_pytest", "fixturefunc", "Traceback", "def "):
        assert internal not in output.split("= FAILURES =")[1].split("short test summary")[0], internal
    assert "PytestAssertRewriteWarning" not in output


@pytest.mark.parametrize(("written", "message"), [
    ("Given the merchant starts a checkout for the order of 5.000 JPY",
     "cannot read the amount '5.000 JPY': did you mean '5,000 JPY'*"),
    ("Then Seller Central shows the order as Opened",
     "'Opened' is not a Seller Central status; expected one of *did you mean 'Open'?"),
    ("When Amazon Pay times out the next captrue",
     "'captrue' is not an Amazon Pay operation; expected one of *did you mean 'capture'?"),
    ("Then Amazon Pay received 2 captureCharge calls for the order with the same idempotency key",
     "expected Amazon Pay to have received 2 captureCharge call(s) for the order under the same idempotency "
     "key, but it received 0 under 0 key(s): none"),
])
def test_a_value_error_names_its_file_and_line_and_the_likely_value(pytester: pytest.Pytester, written: str,
                                                                      message: str) -> None:
    project(pytester, {"features/typo": f"""\
        Feature: Typo
          Scenario: A value written wrong
            Given the buyer checked out the order of 5,000 JPY
            {written}
        """})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"features/typo.feature:4: {written}", message])
    assert "Traceback" not in result.stdout.str() and "pytest_bdd" not in result.stdout.str()


JAPANESE = """\
    # language: ja
    機能: 離脱
      シナリオアウトライン: 離脱した決済は<経過>後に<状態>
        前提 加盟店が注文の決済を5,000円で開始する
        もし 購入者がAmazonで支払う
        かつ 購入者が加盟店に戻る前に離脱する
        かつ 決済開始から<経過>後になる
        ならば セラーセントラルで注文が<状態>と表示されること

        例:
          | 経過         | 状態    |
          | 23時間59分59秒 | オープン  |
          | 24時間       | キャンセル |

      シナリオ: 注文Aと注文B、ふたつの注文
        前提 購入者が注文Aの5,000円の決済を完了している
        かつ 購入者が注文Bの3,000円の決済を完了している
        もし 加盟店が注文Bを売上請求する
        ならば セラーセントラルで注文Aがオープンと表示されること
        かつ セラーセントラルで注文Bがクローズと表示されること
    """


def test_a_japanese_feature_runs_and_its_ids_are_readable(pytester: pytest.Pytester) -> None:
    project(pytester, {"離脱": JAPANESE})
    result = run(pytester, "-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines([
        "*test_features.py::test_離脱した決済は_経過_後に_状態[[]23時間59分59秒-オープン[]] PASSED*",
        "*test_features.py::test_離脱した決済は_経過_後に_状態[[]24時間-キャンセル[]] PASSED*",
        "*test_features.py::test_注文aと注文b_ふたつの注文 PASSED*",
    ])
    assert "\\u" not in result.stdout.str()
    run(pytester, "-k", "キャンセル").assert_outcomes(passed=1, deselected=2)


def test_outline_ids_and_test_names_stay_put_when_scenarios_move(pytester: pytest.Pytester) -> None:
    rows = ["| 23:59:59 | Open     |", "| 24:00:00 | Canceled |"]
    start = "    Given the merchant starts a checkout for the order of 5,000 JPY\n"
    scenarios = [f"  Scenario: 決済、オープン\n{start}", f"  Scenario: 決済オープン\n{start}"]

    def write(order: int) -> list[str]:
        outline = dedent("""\
              Scenario Outline: At <time>
                Given the merchant starts a checkout for the order of 5,000 JPY
                And the buyer pays
                And the buyer drops off before returning to the shop
                When it is <time> after the checkout started
                Then Seller Central shows the order as <status>

                Examples:
                  | time     | status   |
            """)
        body = outline + "".join(f"      {row}\n" for row in (rows if order == 0 else rows[::-1]))
        listed = scenarios if order == 0 else scenarios[::-1]
        project(pytester, {"moving": "Feature: Moving\n" + "".join(listed) + body})
        result = run(pytester, "--collect-only", "-q")
        return sorted(line for line in result.stdout.lines if "::" in line)

    first, second = write(0), write(1)
    assert first == second
    assert "test_features.py::test_at_time[23:59:59-Open]" in first
    names = [line.split("::")[1] for line in first if "決済" in line]
    assert len(names) == 2 and names[0] != names[1]
    assert "test_決済_オープン" in names and "test_決済オープン" in names


def test_cucumber_json_and_junit_xml_are_written(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled"), "ja/離脱": JAPANESE})
    result = run(pytester, "--cucumberjson=reports/cucumber.json", "--junitxml=reports/junit.xml")
    result.assert_outcomes(passed=4)
    features = json.loads((pytester.path / "reports/cucumber.json").read_text(encoding="utf-8"))
    scenarios = {element["name"]: element for feature in features for element in feature["elements"]}
    assert "The buyer drops off and Amazon cancels the checkout after 24 hours" in scenarios
    steps = scenarios["The buyer drops off and Amazon cancels the checkout after 24 hours"]["steps"]
    assert [step["result"]["status"] for step in steps] == ["passed"] * 6
    assert any(name.startswith("離脱した決済は") for name in scenarios)
    cases = list(ET.parse(pytester.path / "reports/junit.xml").getroot().iter("testcase"))
    names = {case.get("name") for case in cases}
    # durations are real time, not the simulated days that passed in the scenarios
    assert all(0 <= float(case.get("time", "-1")) < 60 for case in cases)
    durations = [step["result"]["duration"] for scenario in scenarios.values() for step in scenario["steps"]]
    assert all(0 <= duration < 60e9 for duration in durations) and any(durations)
    assert "test_離脱した決済は_経過_後に_状態[24時間-キャンセル]" in names
    assert "test_the_buyer_drops_off_and_amazon_cancels_the_checkout_after_24_hours" in names


def test_scenarios_run_in_parallel_under_xdist(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled"), "ja/離脱": JAPANESE})
    result = run(pytester, "-n", "2", "--cucumberjson=cucumber.json")
    result.assert_outcomes(passed=4)
    features = json.loads((pytester.path / "cucumber.json").read_text(encoding="utf-8"))
    assert sum(len(feature["elements"]) for feature in features) == 4


CLOCK_STEPS = """\
    import time
    from datetime import UTC, datetime

    from pytest_bdd import then

    from harness.gherkin import scenarios
    from harness.merchant_time import MerchantTime

    scenarios(".")


    @then("the shop's clock reads the simulated time")
    def _(scenario_world):
        simulated = scenario_world.simulator.now()
        assert datetime.now(UTC) == simulated
        assert datetime.now().astimezone(UTC) == simulated
        assert time.time() == simulated.timestamp()


    @then("freezegun was started once in this process")
    def _():
        assert MerchantTime.starts == 1


    @then("an asyncio timer in another thread still fires")
    def _():
        import asyncio
        import threading

        woke = threading.Event()

        async def nap():
            await asyncio.sleep(0.01)
            woke.set()

        thread = threading.Thread(target=asyncio.run, args=(nap(),), daemon=True)
        thread.start()
        assert woke.wait(5), "asyncio.sleep never returned: the event loop reads the frozen clock"
    """


def test_the_merchants_clock_is_the_simulated_clock_inside_a_step(pytester: pytest.Pytester) -> None:
    project(pytester, {"clock": """\
        Feature: Clock
          Scenario: Half a year later
            Given the merchant starts a checkout for the order of 5,000 JPY
            Then the shop's clock reads the simulated time
            When 180 days pass
            Then the shop's clock reads the simulated time
        """}, CLOCK_STEPS)
    run(pytester).assert_outcomes(passed=1)


def test_freezegun_is_started_once_across_scenarios(pytester: pytest.Pytester) -> None:
    scenario = """\
          Scenario: Scenario {number}
            Given the buyer checked out the order of 5,000 JPY
            When {number} days pass
            Then the shop's clock reads the simulated time
            And freezegun was started once in this process
        """
    project(pytester, {"many": "Feature: Many\n" + "".join(scenario.format(number=n) for n in range(1, 6))},
            CLOCK_STEPS)
    run(pytester, "-p", "no:xdist").assert_outcomes(passed=5)


ORDINARY_TESTS = """\
    import time
    from datetime import UTC, date, datetime, timedelta

    import freezegun.api as real  # its real_* names, read through the module (freezegun patches copies)

    from harness.merchant_time import MerchantTime
    from harness.scenario.parsing import parse_duration


    def real_clock_is_back():
        assert abs(time.time() - real.real_time()) < 60
        assert abs(datetime.now(UTC) - real.real_datetime.now(UTC)) < timedelta(seconds=60)
        assert date.today() in {real.real_date.today(), real.real_datetime.now(UTC).date()}
        first = time.monotonic()
        time.sleep(0.01)
        assert time.monotonic() > first  # not frozen


    def test_a_before_any_scenario():
        real_clock_is_back()


    def test_b_a_plain_python_scenario(scenario_world):
        scenario_world.time.passes(parse_duration("200 days"))
        assert time.time() == scenario_world.simulator.now().timestamp()


    def test_c_after_a_scenario():
        real_clock_is_back()
        assert MerchantTime.starts == 1 and MerchantTime.paused()
    """


@pytest.mark.parametrize("args", [("-p", "no:xdist"), ("-n", "2", "--dist", "loadfile")],
                         ids=["serial", "xdist"])
def test_ordinary_tests_see_real_time_before_and_after_a_scenario(pytester: pytest.Pytester,
                                                                  args: tuple[str, ...]) -> None:
    scenario = """\
          Scenario: Scenario {number}
            Given the buyer checked out the order of 5,000 JPY
            When {number}00 days pass
            Then the shop's clock reads the simulated time
        """
    project(pytester, {"many": "Feature: Many\n" + "".join(scenario.format(number=n) for n in range(1, 4))},
            CLOCK_STEPS, test_z_ordinary=ORDINARY_TESTS)
    run(pytester, *args).assert_outcomes(passed=6)


def test_asyncio_keeps_real_time_while_the_merchants_clock_is_frozen(pytester: pytest.Pytester) -> None:
    project(pytester, {"clock": """\
        Feature: A server in the test process
          Scenario: A day later
            Given the merchant starts a checkout for the order of 5,000 JPY
            When 1 day passes
            Then the shop's clock reads the simulated time
            And an asyncio timer in another thread still fires
        """}, CLOCK_STEPS)
    run(pytester, "-p", "no:xdist").assert_outcomes(passed=1)


def test_the_next_test_sees_the_wall_clock_however_a_test_left_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_order="""\
        from datetime import UTC, datetime, timedelta

        from cryptography import x509

        from harness.merchant_time import wall_clock
        from harness.scenario.serving import serving
        from harness.server import ServerCertificates
        from harness.simulator import Simulator


        def test_1_a_simulator_run_by_hand_leaves_time_400_days_on():
            simulator = Simulator()
            with serving(simulator):
                simulator.advance(timedelta(days=400))
                assert datetime.now(UTC) == simulator.now()


        def test_2_a_server_started_next_issues_certificates_valid_now(tmp_path):
            real = wall_clock().timestamp()
            assert abs(datetime.now(UTC).timestamp() - real) < 60
            leaf = x509.load_pem_x509_certificate(ServerCertificates.prepare(tmp_path).leaf_path.read_bytes())
            assert leaf.not_valid_before_utc.timestamp() <= real < leaf.not_valid_after_utc.timestamp()
        """)
    run(pytester, "-p", "no:xdist").assert_outcomes(passed=2)


MY_SHOP = """\
    from harness.merchant.reference import ReferenceMerchant, reference_merchant


    class MyShop(ReferenceMerchant):
        \"\"\"The shop's own integration (here: the reference one under another name).\"\"\"


    def make_shop(simulator):
        reference = reference_merchant(simulator)
        return MyShop(reference.client, reference.store_id, shop_url="https://my-shop.example")
    """

CHECKS_THE_MERCHANT = """\
    from pytest_bdd import scenario


    @scenario("drop_off.feature", "The buyer drops off and Amazon cancels the checkout after 24 hours")
    def test_drop_off(merchant):
        assert type(merchant).__name__ == "{expected}"
    """


@pytest.mark.parametrize("how", ["ini", "command line"])
def test_the_merchant_can_be_chosen_by_option(pytester: pytest.Pytester, how: str) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled")},
            CHECKS_THE_MERCHANT.format(expected="MyShop"), myshop=MY_SHOP)
    if how == "ini":
        pytester.makeini("[pytest]\namazon_pay_merchant = myshop:make_shop\n")
        run(pytester).assert_outcomes(passed=1)
    else:
        run(pytester, "--amazon-pay-merchant=myshop:make_shop").assert_outcomes(passed=1)


def test_the_merchant_can_be_chosen_by_overriding_the_fixture(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled")},
            CHECKS_THE_MERCHANT.format(expected="MyShop"), myshop=MY_SHOP, conftest="""\
                import pytest

                from myshop import make_shop


                @pytest.fixture
                def merchant(amazon_pay_simulator):
                    return make_shop(amazon_pay_simulator)
                """)
    run(pytester).assert_outcomes(passed=1)


def test_the_default_merchant_is_the_reference_merchant(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled")},
            CHECKS_THE_MERCHANT.format(expected="ReferenceMerchant"))
    run(pytester).assert_outcomes(passed=1)


@pytest.mark.parametrize(("spec", "message"), [
    ("myshop", "write it as package.module:factory"),
    ("myshop:missing", "module 'myshop' has no attribute 'missing'"),
    ("nowhere:make", "No module named 'nowhere'"),
])
@pytest.mark.parametrize("parallel", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_a_bad_merchant_option_is_one_usage_error(pytester: pytest.Pytester, spec: str, message: str,
                                                  parallel: tuple[str, ...]) -> None:
    many = "Feature: Many\n" + "".join(f"  Scenario: Number {n}\n    Given the buyer checked out the order "
                                        "of 5,000 JPY\n" for n in range(6))
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled"), "many": many}, myshop=MY_SHOP)
    result = run(pytester, f"--amazon-pay-merchant={spec}", *parallel)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert output.count(message) == 1, output
    assert " passed" not in output and " failed" not in output


def test_a_factory_returning_no_adapter_stops_the_run_once(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled"),
                       "again": DROP_OFF.replace("Dropped-off", "Again").format(status="Canceled")},
            myshop="def make_shop(simulator):\n    return object()\n")
    result = run(pytester, "--amazon-pay-merchant=myshop:make_shop", "-p", "no:xdist")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert output.count("amazon_pay_merchant = 'myshop:make_shop' returned <object object") == 1, output
    assert "which lacks cancel, capture, charge, close" in output


def test_a_shop_url_nothing_answers_fails_the_scenario_naming_the_call(pytester: pytest.Pytester) -> None:
    project(pytester, {"drop_off": DROP_OFF.format(status="Canceled")})
    result = run(pytester, "--amazon-pay-merchant=http://127.0.0.1:9/harness", "-p", "no:xdist")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["drop_off.feature:3: Given the merchant starts a checkout *",
                                 "the shop did not answer POST http://127.0.0.1:9/harness/reset*"
                                 "(is it running, on that address?)"])


def test_an_operator_refusal_no_step_expected_fails_the_scenario(pytester: pytest.Pytester) -> None:
    project(pytester, {"refused": """\
        Feature: Refused
          Scenario: The operator cancels a captured order
            Given the buyer checked out the order of 5,000 JPY
            And the merchant captures the order
            When the operator cancels the order in Seller Central
            Then Seller Central shows the order as Closed
        """})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Seller Central refused an operator action and no step expected it: "
                                 "cancel* InvalidChargePermissionStatus*"])


def test_the_fixtures_work_from_plain_python_and_the_seed_is_configurable(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="""\
        import pytest

        from harness.merchant import CheckoutRequest
        from harness.money import Money
        from harness.simulator import Simulator


        def test_world(scenario_world, seller_central, amazon_pay_simulator):
            scenario_world.buyer.checks_out("A", CheckoutRequest(Money.of(5000)))
            scenario_world.expect.status("A", "Open")
            assert seller_central is amazon_pay_simulator.seller_central
            assert amazon_pay_simulator.api.default_store_id == Simulator(seed=3).api.default_store_id


        @pytest.mark.amazon_pay(seed=7)
        def test_marker(amazon_pay_simulator):
            assert amazon_pay_simulator.api.default_store_id == Simulator(seed=7).api.default_store_id
        """)
    run(pytester, "--amazon-pay-seed=3", "--strict-markers").assert_outcomes(passed=2)


def test_the_plugin_is_registered_under_its_entry_point_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = run(pytester, "--trace-config")
    assert re.search(r"amazon_pay_harness.*harness[/\\]pytest_plugin\.py", result.stdout.str())


def test_a_feature_file_runs_by_its_path(pytester: pytest.Pytester) -> None:
    project(pytester, {"features/drop_off": DROP_OFF.format(status="Canceled"),
                       "features/failing": DROP_OFF.format(status="Open")})
    result = run(pytester, "features/drop_off.feature", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["features/drop_off.feature::test_the_buyer_drops_off_* PASSED*"])


EXAMPLE_TAGS = """\
    Feature: Checkouts
      Scenario Outline: A checkout of <amount> stays open
        Given the buyer checked out order A of <amount>
        Then Seller Central shows order A as Open

        @large
        Examples:
          | amount     |
          | 50,000 JPY |

        Examples:
          | amount    |
          | 5,000 JPY |
    """


@pytest.mark.parametrize("path", ["features/tags.feature", "."])
def test_examples_block_tags_are_markers_under_strict_markers(pytester: pytest.Pytester, path: str) -> None:
    project(pytester, {"features/tags": EXAMPLE_TAGS},
            "from harness.gherkin import scenarios\n\nscenarios('features')\n")
    result = run(pytester, "--strict-markers", "-m", "large", "-v", path)
    result.assert_outcomes(passed=1, deselected=1)
    result.stdout.fnmatch_lines(["*50,000 JPY* PASSED*"])
