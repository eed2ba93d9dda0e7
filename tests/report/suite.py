"""A small scenario project, run once per test session the way a user runs it (pytest in a subprocess,
two xdist workers) with every output: Cucumber JSON, JUnit XML and the living documentation."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

OPEN = """\
    @dropoff
    Feature: Dropped-off checkouts
      Scenario: The buyer drops off and Amazon cancels the checkout after 24 hours
        Given the merchant starts a checkout for the order of 5,000 JPY
        When the buyer pays
        And the buyer drops off before returning to the shop
        Then Seller Central shows the order as Open
        When 24 hours pass
        Then Seller Central shows the order as Canceled

      Scenario: A wrong expectation fails at its step
        Given the merchant starts a checkout for the order of 5,000 JPY
        When the buyer pays
        And the buyer drops off before returning to the shop
        When 24 hours pass
        Then Seller Central shows the order as Open
        And Seller Central shows the order as Canceled
    """

TYPO = """\
    Feature: A typo
      Scenario: A step nobody defined
        Given the merchant starts a checkout for the order of 5,000 JPY
        When the buyer payz
        Then Seller Central shows the order as Open
    """

OUTLINE = """\
    # language: ja
    機能: 離脱
      シナリオアウトライン: 離脱した決済
        前提 加盟店が注文の決済を5,000円で開始する
        もし 購入者がAmazonで支払う
        かつ 購入者が加盟店に戻る前に離脱する
        もし 決済開始から<経過>後になる
        ならば セラーセントラルで注文が<状態>と表示されること

        例:
          | 経過 | 状態 |
          | 23時間 | オープン |
          | 24時間 | キャンセル |
    """

YAML = """\
    name: The buyer drops off (YAML)
    tags: [yaml]
    steps:
      - merchant: {start checkout: order A, amount: 5000 JPY}
      - buyer: pay
      - buyer: drop off
      - wait: 24 hours
      - expect: {status: Canceled, order: order A}
    """

BIND = "from harness.gherkin import scenarios\n\nscenarios('features')\n"


@dataclass(frozen=True)
class SuiteRun:
    """Where the run happened and what it wrote."""

    root: Path
    output: str
    returncode: int

    @property
    def cucumber(self) -> Path:
        """reports/cucumber.json."""
        return self.root / "reports" / "cucumber.json"

    @property
    def junit(self) -> Path:
        """reports/junit.xml."""
        return self.root / "reports" / "junit.xml"

    @property
    def living_doc(self) -> Path:
        """reports/living-doc.html."""
        return self.root / "reports" / "living-doc.html"


def run_suite(root: Path) -> SuiteRun:
    """Write the project under `root` and run it with two workers and every report."""
    files = {"features/open.feature": OPEN, "features/typo.feature": TYPO,
             "features/ja/離脱.feature": OUTLINE,
             "scenarios/dropoff.yaml": YAML, "test_features.py": BIND}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "test_features.py", "scenarios",
         "--cucumberjson=reports/cucumber.json", "--junitxml=reports/junit.xml",
         "--amazon-pay-report=reports/living-doc.html"],
        cwd=root, capture_output=True, text=True, timeout=300, check=False)
    return SuiteRun(root, completed.stdout + completed.stderr, completed.returncode)
