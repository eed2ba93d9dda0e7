"""`harness explore` as users run it: against the reference merchant nothing is found; against each broken
variant the bug is found, shrunk to a short scenario, and that file fails with the normal plugin.

Budgets are small and seeds fixed, so each run repeats exactly; the found scenario runs in a
pytest subprocess, as a shop's CI would run it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.cli import main
from harness.explore.printing import print_scenario
from harness.explore.runner import ExploreOptions, ExploreResult, explore, merchant_sessions, reproduces
from harness.merchant.reference import reference_merchant
from harness.scenario.serving import serving
from harness.scenario.world import ExpectationError, ScenarioWorld
from harness.simulator import Simulator
from harness.yaml.files import load_scenario_text
from harness.yaml.runner import FailedStepError, run_scenario
from tests.explore.broken_merchants import retrying_capturer

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = "harness.merchant.reference:reference_merchant"
BROKEN = {"closed_means_failed": "record never ahead", "retrying_capturer": "no retry against state"}
"""Each broken variant and the invariant its bug breaks."""
MAX_STEPS = 8
BUDGET = 200
STEPS = 8


def _broken(name: str) -> str:
    return f"tests.explore.broken_merchants:{name}"


def _explore(merchant: str, out: Path, **options: object) -> ExploreResult:
    chosen: dict[str, object] = {"examples": BUDGET, "seed": 0, "steps": STEPS, **options}
    return explore(ExploreOptions(merchant=merchant, out=out, **chosen))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _broken_merchants_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pytest subprocesses import `tests.explore.broken_merchants` from this checkout."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def _pytest(pytester: pytest.Pytester, merchant: str, *paths: Path) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", *map(str, paths),
                                         f"--amazon-pay-merchant={merchant}")




def test_the_reference_merchant_agrees_with_amazon_within_the_budget(tmp_path: Path) -> None:
    result = _explore(REFERENCE, tmp_path, examples=40)
    assert result.found is None, result.summary()
    assert result.progress.examples >= 40
    assert len(result.progress.pairs) > 20  # the sequences mix many actions, not one over and over
    assert not list(tmp_path.glob("*.feature"))


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_a_broken_variant_is_found_and_printed_as_a_scenario_that_fails_with_the_plugin(
        variant: str, tmp_path: Path, pytester: pytest.Pytester) -> None:
    result = _explore(_broken(variant), tmp_path / "out")
    assert result.found is not None, result.summary()
    assert any(BROKEN[variant] in found for found in result.disagreements), result.disagreements
    assert result.found.steps <= MAX_STEPS, result.found.feature
    assert result.reproduced
    feature, written = sorted(result.files, key=lambda path: path.suffix)
    assert (feature.suffix, written.suffix) == (".feature", ".yaml")
    assert "Seller Central transaction view at" in feature.read_text(encoding="utf-8")  # the comments
    failing = _pytest(pytester, _broken(variant), feature, written)
    failing.assert_outcomes(failed=2)
    assert failing.stdout.str().count(f"[{BROKEN[variant]}]") >= 2
    with merchant_sessions(REFERENCE) as reference:
        assert not reproduces(result.found, reference)  # the bug is the merchant's: the reference passes


def test_a_seed_repeats_the_run_and_a_found_failure_is_replayed_first_next_time(tmp_path: Path) -> None:
    first = _explore(_broken("closed_means_failed"), tmp_path / "first", shrink=False)
    again = _explore(_broken("closed_means_failed"), tmp_path / "again", shrink=False)
    other = _explore(_broken("closed_means_failed"), tmp_path / "other", shrink=False, seed=1)
    assert first.found is not None and again.found is not None and other.found is not None
    assert again.found.yaml == first.found.yaml
    assert other.found.yaml != first.found.yaml
    assert [path for path in (tmp_path / "first" / ".hypothesis").rglob("*") if path.is_file()]
    replayed = _explore(_broken("closed_means_failed"), tmp_path / "first", examples=1, seed=7, shrink=False)
    assert replayed.found is not None and replayed.found.yaml.replace("seed 7", "seed 0") == first.found.yaml
    assert replayed.progress.examples <= 2  # the saved failure ran first


def test_the_scenario_is_written_in_japanese_and_still_fails(tmp_path: Path,
                                                             pytester: pytest.Pytester) -> None:
    result = _explore(_broken("closed_means_failed"), tmp_path, shrink=False)
    printed = print_scenario(result.steps, "what was wrong", up_to_date=result.up_to_date,
                             invariant="record never ahead", seed=0, language="ja")
    assert printed.feature.startswith("# language: ja\n# Found by `harness explore`")
    assert "シナリオ: シード0の探索: record never ahead" in printed.feature
    assert "もし 加盟店の突合バッチが実行される" in printed.feature
    assert "ならば 加盟店の記録がAmazonの現在の状態と一致すること" in printed.feature
    feature = pytester.path / "explored.feature"
    feature.write_text(printed.feature, encoding="utf-8")
    _pytest(pytester, _broken("closed_means_failed"), feature).assert_outcomes(failed=1)


LOST_ANSWER = """\
name: A lost capture answer
steps:
  - buyer: {checkout: order A, amount: '5,000 JPY'}
  - amazon: lose next capture answer
  - merchant: {capture: order A}
  - expect: merchant agrees
"""


def _run_yaml(text: str, world: ScenarioWorld) -> None:
    with serving(world.simulator):
        run_scenario(load_scenario_text(text, "lost.yaml").scenarios[0], world)


def test_a_lost_capture_answer_retried_under_a_new_key_breaks_idempotency() -> None:
    simulator = Simulator()
    world = ScenarioWorld(simulator, retrying_capturer(simulator))
    with pytest.raises(FailedStepError) as failed:
        _run_yaml(LOST_ANSWER, world)
    assert isinstance(failed.value.cause, ExpectationError)
    assert "sent the same request again under a new idempotency key" in str(failed.value)
    assert next(exchange.response for exchange in world.merchant.calls[-1].exchanges) is None
    reference = Simulator()
    _run_yaml(LOST_ANSWER, ScenarioWorld(reference, reference_merchant(reference)))  # it does not retry


def test_the_command_writes_the_scenario_and_exits_1_when_it_finds_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explore", "--merchant", _broken("retrying_capturer"), "--examples", "60", "--no-shrink",
                 "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("# Found by `harness explore`") and "Feature: Explored" in out
    assert "no retry against state" in err and "wrote " in err
    assert len(list(tmp_path.glob("explored-*.feature"))) == 1
    report = tmp_path / "ok" / "living-doc.html"
    assert main(["explore", "--merchant", REFERENCE, "--examples", "5", "--out", str(tmp_path / "ok"),
                 "--report", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "Explored: harness.merchant.reference:reference_merchant" in page
    assert "SESSION_COMPLETED" in page and "never taken" in page  # the coverage the run reached


@pytest.mark.parametrize(("arguments", "message"), [
    (["--examples", "5", "--seconds", "1"], "argument --seconds: not allowed with argument --examples"),
    (["--examples", "0"], "argument --examples: expected a number above 0, got '0'"),
    (["--language", "fr"], "argument --language: invalid choice: 'fr'"),
    ([], "the following arguments are required: --merchant"),
])
def test_usage_mistakes_are_one_line_naming_the_fix(arguments: list[str], message: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    merchant = [] if not arguments else ["--merchant", REFERENCE]
    with pytest.raises(SystemExit) as exit_info:
        main(["explore", *merchant, *arguments])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.endswith("(see harness explore --help)\n") and err.count("\n") == 1


def test_a_merchant_that_cannot_be_loaded_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", "--merchant", "no_such_shop.adapter:merchant", "--examples", "1"]) == 2
    err = capsys.readouterr().err
    assert err == "harness: --merchant 'no_such_shop.adapter:merchant': No module named 'no_such_shop'\n"


def test_the_fixture_fails_a_test_with_the_printed_scenario(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_shop="""
        from tests.explore.broken_merchants import closed_means_failed

        def test_the_configured_shop_agrees_with_amazon(amazon_pay_explore):
            amazon_pay_explore(examples=10, seed=0, steps=8)

        def test_a_broken_shop_does_not(amazon_pay_explore):
            amazon_pay_explore(examples=100, seed=0, steps=8, merchant=closed_means_failed)
    """)
    result = _pytest(pytester, REFERENCE, pytester.path / "test_shop.py")
    result.assert_outcomes(passed=1, failed=1)
    assert "Then the merchant's records are up to date with Amazon" in result.stdout.str()
    assert list((pytester.path / ".harness" / "explore").glob("explored-*closed-means-failed*.feature"))

