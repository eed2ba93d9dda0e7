"""Cucumber JSON of the collected records: every feature file and YAML file, every scenario (outline and
parameter rows with names of their own), every step with its status, duration and error.

The shape is cucumber-js's JSON formatter (the `cucumber-js` variant of the published Cucumber JSON
schema; tests/data/cucumber-json.schema.json checks it): tags start with `@`, durations are
nanoseconds, a failed result carries `error_message`, and a failure after the last step is a hidden
`After` hook step.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harness.report.record import ScenarioRecord, StepRecord

__all__: list[str] = []

_Json = dict[str, Any]


def write_cucumber_json(records: Iterable[ScenarioRecord], path: Path) -> None:
    """Write the features of `records` (in the order first seen) to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cucumber_features(records), ensure_ascii=False, indent=1), encoding="utf-8")


def cucumber_features(records: Iterable[ScenarioRecord]) -> list[_Json]:
    """One Cucumber feature per file, its scenarios in run order."""
    by_uri: dict[str, list[ScenarioRecord]] = {}
    for record in records:
        by_uri.setdefault(record["feature"]["uri"], []).append(record)
    features = []
    for uri, scenarios in by_uri.items():
        info = scenarios[0]["feature"]
        feature_id = _slug(info["name"]) or _slug(uri)
        names = scenario_names(scenarios)
        features.append({
            "uri": uri, "id": feature_id, "keyword": info["keyword"], "name": info["name"],
            "line": info["line"], "description": info["description"],
            "tags": [_tag(tag, info["line"]) for tag in info["tags"]],
            "elements": [_element(record, name, feature_id) for record, name in zip(scenarios, names,
                                                                                     strict=True)],
        })
    return features


def scenario_names(records: list[ScenarioRecord]) -> list[str]:
    """Each scenario's name in its file, made unique: a name several rows share gets the row's id."""
    counts = Counter(record["name"] for record in records)
    return [f"{record['name']} [{record['row']}]" if counts[record["name"]] > 1 and record["row"]
            else record["name"] for record in records]


def _element(record: ScenarioRecord, name: str, feature_id: str) -> _Json:
    steps: list[_Json] = [_step(step) for step in record["steps"]]
    if record["after_error"] is not None:
        steps.append({"keyword": "After", "hidden": True, "match": {"location": record["nodeid"]},
                      "result": {"status": "failed", "duration": 0, "error_message": record["after_error"]}})
    return {"id": f"{feature_id};{_slug(name)}", "keyword": record["keyword"], "name": name,
            "line": record["line"], "description": record["description"], "type": "scenario",
            "tags": [_tag(tag, record["line"] - 1) for tag in record["tags"]], "steps": steps}


def _step(step: StepRecord) -> _Json:
    result: _Json = {"status": step["status"], "duration": round(step["duration"] * 1e9)}
    if step["status"] == "failed":
        result["error_message"] = step.get("error", "")
    elif "error" in step:  # undefined: the closest known steps
        result["error_message"] = step["error"]
    return {"keyword": step["keyword"], "name": step["name"], "line": step["line"], "arguments": [],
            "match": {"location": ""}, "result": result}


def _tag(name: str, line: int) -> _Json:
    return {"name": name if name.startswith("@") else f"@{name}", "line": max(line, 1)}


def _slug(text: str) -> str:
    return re.sub(r"\s+", "-", text.strip().lower())
