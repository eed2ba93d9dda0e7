"""README's "Any language" section: its command line parses and its control calls run as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from harness.api.keys import test_key_pair
from harness.cli import _parser
from harness.server import RunningServer
from tests.server.conftest import TIMEOUT, YEN_5000, create_session, merchant

README = Path(__file__).parents[2] / "README.md"
CURL = re.compile(r"^curl -s (?:-X (?P<method>\w+) )?http://127\.0\.0\.1:8080(?P<path>\S+)"
                  r"(?: -d '(?P<body>.*)')?$")


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"## Any language: the local Amazon Pay server\n(.*?)\n## ", text, re.DOTALL)
    assert match is not None, "README.md lost its 'Any language' section"
    return match.group(1)


def test_the_serve_command_line_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = re.search(r"^harness serve .*$", _section(), re.MULTILINE)
    assert line is not None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys/private.pem").write_text(test_key_pair("readme").private_key_pem, encoding="ascii")
    options = _parser().parse_args(line.group(0).split()[1:])
    assert (options.port, options.state) == (8080, Path(".harness-state.json"))
    assert [key.public_key_id for key in options.public_keys] == ["SANDBOX-AEXAMPLE"]


def test_the_control_calls_run_as_written(server: RunningServer) -> None:
    calls = [CURL.match(line) for line in _section().splitlines() if line.startswith("curl ")]
    assert calls and all(calls), "every curl line of the section has the form the test reads"
    with httpx.Client(timeout=TIMEOUT) as http:
        shop = merchant(http, server.base_url)
        session_id = create_session(shop)["checkoutSessionId"]
        ids = {"checkoutSessionId": session_id}
        for call in calls:
            assert call is not None
            body = (call["body"] or "").replace('"<id>"', "null")
            payload = json.loads(body) if body else None
            if isinstance(payload, dict):
                payload = {key: ids[key] if value is None else value for key, value in payload.items()}
            response = http.request(call["method"] or "GET", server.base_url + call["path"], json=payload)
            assert response.status_code == 200, (call.group(0), response.text)
            if call["path"].endswith("/buyer/return"):
                completed = shop.complete_checkout_session(session_id, {"chargeAmount": YEN_5000})
                ids["referenceId"] = completed["chargePermissionId"]
    assert response.json()["transactions"][0]["captured"]["amount"] == "5000"
