"""A real consumer renders our Cucumber JSON: multiple-cucumber-html-reporter (npm, installed into
scripts/report-consumers/ by scripts/setup-node from its committed package-lock.json)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report.suite import SuiteRun

CONSUMERS = Path(__file__).parents[2] / "scripts" / "report-consumers"

RENDER = """
const report = require("multiple-cucumber-html-reporter");
report.generate({jsonDir: process.argv[1], reportPath: process.argv[2], openReportInBrowser: false,
                 disableLog: true, displayDuration: true});
"""


def test_multiple_cucumber_html_reporter_renders_every_scenario(report_suite: SuiteRun,
                                                                tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the npm report consumer cannot run "
                    "(scripts/setup-node needs node)")
    if not (CONSUMERS / "node_modules" / "multiple-cucumber-html-reporter").is_dir():
        pytest.fail("scripts/report-consumers is not installed: run scripts/setup-node")
    json_dir = tmp_path / "json"
    json_dir.mkdir()
    shutil.copy(report_suite.cucumber, json_dir / "cucumber.json")
    completed = subprocess.run([node, "-e", RENDER, "--", str(json_dir), str(tmp_path / "html")],
                               cwd=CONSUMERS, capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr
    pages = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "html").rglob("*.html")}
    index = pages["index.html"]
    assert "Dropped-off checkouts" in index and "scenarios/dropoff.yaml" in index
    feature_pages = "\n".join(text for name, text in pages.items() if name != "index.html")
    for scenario in ("A wrong expectation fails at its step", "A step nobody defined",
                     "The buyer drops off (YAML)", "離脱した決済 [23時間-オープン]"):
        assert scenario in feature_pages, scenario
    assert "expected Seller Central to show the order" in feature_pages
