"""The published JSON Schema is valid, every shipped scenario fits it, and it rejects what the reader does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.yaml.loader import load_documents
from harness.yaml.tree import to_data

ROOT = Path(__file__).parents[2]
SCENARIO_FILES = sorted((ROOT / "scenarios").rglob("*.yaml"))


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((ROOT / "schemas/scenario.schema.json").read_text(encoding="utf-8"))
    return schema


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_every_shipped_scenario_fits_the_published_schema(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    for document in load_documents(path, str(path)):
        data: Any = to_data(document)
        assert not list(validator.iter_errors(data))


@pytest.mark.parametrize("data", [
    {"name": "x"},
    {"name": "x", "steps": [{"wiat": "24 hours"}]},
    {"name": "x", "steps": [{"buyer": "dorp off"}]},
    {"name": "x", "steps": [{"buyer": {"pay": "order A", "crad": "1111"}}]},
    {"name": "x", "steps": [{"operator": {"refund": "the order", "amount": "1 JPY", "times": "two"}}]},
    {"name": "x", "steps": [{"expect": {"charge": "Authorized", "reason": "Expired", "no reason": True}}]},
    {"name": "x", "steps": [{"buyer": "pay", "wait": "1 hour"}]},
])
def test_the_schema_rejects_what_the_reader_rejects(data: dict[str, Any]) -> None:
    assert list(jsonschema.Draft202012Validator(_schema()).iter_errors(data))
