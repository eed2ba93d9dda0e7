"""Shared helpers of the YAML scenario tests."""

from __future__ import annotations

from textwrap import dedent

import pytest

from harness.yaml import ScenarioFile, ScenarioFileError, load_scenario_text

FILE = "scenarios/example.yaml"


def load(text: str) -> ScenarioFile:
    """The scenarios of `text` (dedented), read as the file scenarios/example.yaml."""
    return load_scenario_text(dedent(text), FILE)


def error_of(text: str) -> str:
    """The message a broken scenario file fails with."""
    with pytest.raises(ScenarioFileError) as caught:
        load(text)
    return str(caught.value)
