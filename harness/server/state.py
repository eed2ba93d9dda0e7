"""`--state FILE`: the served simulator saved as the journal of what changed it, and replayed on start.

The simulator is deterministic for a seed, a start and the calls it gets, so the file holds just
those, as JSON a person can read (no pickle: nothing in it runs code when loaded):

    {"format": "amazon-pay-harness-state", "version": 1, "seed": 0,
     "start": "2026-01-05T00:00:00+00:00",
     "publicKeys": [{"publicKeyId": "SANDBOX-…", "environment": "Sandbox", "pem": "-----BEGIN …"}],
     "journal": [
       {"kind": "api", "wallClock": "…", "method": "POST", "url": "/v2/checkoutSessions",
        "headers": [["x-amz-pay-date", "…"], …], "body": "{…}"},
       {"kind": "control", "method": "POST", "path": "/_harness/buyer/pay",
        "body": {"checkoutSessionId": "…"}}]}

Loading builds a simulator from the seed, start and keys and sends every entry again in order:
API requests to the handler with the merchant's clock reading the recorded `wallClock` (so the
signature and date checks answer as they did), control calls to the control API. Ids, states,
the idempotency store and the clock come out as they were. The merchant's keys given on the
command line are registered after the replay.
"""

from __future__ import annotations

import base64
import json
import os
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.api.faults import SimulatedNetworkError
from harness.api.http import HttpRequest
from harness.errors import HarnessError
from harness.ids import Environment
from harness.server.control import ControlApi
from harness.server.served import PublicKey, ServedSimulator, journal_entries, register_keys

__all__ = ["StateFileError"]

FORMAT = "amazon-pay-harness-state"
VERSION = 1


class StateFileError(HarnessError):
    """The state file cannot be read or replayed; the message names the file and the entry."""


def save_state(served: ServedSimulator, path: Path) -> None:
    """Write the state file (atomically: a stop never leaves half a file)."""
    document = {"format": FORMAT, "version": VERSION, "seed": served.seed, "start": served.start.isoformat(),
                "publicKeys": [{"publicKeyId": key.public_key_id, "environment": key.environment.value,
                                "pem": key.pem} for key in served.public_keys],
                "journal": journal_entries(served.journal)}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _read(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise StateFileError(f"{path}: cannot read the state file: {error.strerror}") from None
    except ValueError as error:
        raise StateFileError(f"{path}: not a state file of harness serve (not JSON: {error}); "
                             "delete it or choose another --state") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(f"{path}: not a state file of harness serve (no \"format\": \"{FORMAT}\"); "
                             "delete it or choose another --state")
    if document.get("version") != VERSION:
        raise StateFileError(f"{path}: state file version {document.get('version')!r}; this harness "
                             f"reads version {VERSION}")
    return document


def load_state(path: Path, served: ServedSimulator, control: ControlApi) -> int:
    """Replace `served`'s simulator with the one saved in `path`; the number of entries replayed."""
    document = _read(path)
    try:
        saved_keys = [PublicKey(key["publicKeyId"], Environment(key["environment"]), key["pem"])
                      for key in document["publicKeys"]]
        seed, start = int(document["seed"]), datetime.fromisoformat(document["start"])
        journal: list[dict[str, Any]] = list(document["journal"])
    except (KeyError, TypeError, ValueError) as error:
        raise StateFileError(f"{path}: a state file needs seed, start, publicKeys and journal "
                             f"({type(error).__name__}: {error})") from None
    current_keys, clock = served.public_keys, served.merchant_clock
    served.public_keys = saved_keys
    served.replaying = True  # before the reset: the replayed simulator gets no IPN endpoint
    served.reset(seed, start)
    try:
        for number, entry in enumerate(journal, 1):
            _replay(path, number, entry, served, control)
    finally:
        served.replaying = False
        served.merchant_clock = clock
    served.attach_notifications()
    served.journal.extend(journal)
    new_keys = [key for key in current_keys if key.public_key_id not in
                {saved.public_key_id for saved in saved_keys}]
    try:
        assert served.handler.keys is not None
        register_keys(served.handler.keys, new_keys)
    except ValueError as error:
        raise StateFileError(f"{path}: {error} with another key in the state file") from None
    served.public_keys = saved_keys + new_keys
    return len(journal)


def _replay(path: Path, number: int, entry: dict[str, Any], served: ServedSimulator,
            control: ControlApi) -> None:
    try:
        if entry["kind"] == "api":
            wall = datetime.fromisoformat(entry["wallClock"])
            served.merchant_clock = lambda: wall
            body = (base64.b64decode(entry["bodyBase64"]) if "bodyBase64" in entry
                    else entry["body"].encode("utf-8"))
            with suppress(SimulatedNetworkError):  # a planned fault hits it as it hit the original
                served.handle(HttpRequest(entry["method"], entry["url"],
                                          [(name, value) for name, value in entry["headers"]], body))
        elif entry["kind"] == "control":
            control.handle(entry["method"], entry["path"],
                           json.dumps(entry["body"], ensure_ascii=False).encode("utf-8"))
        else:
            raise ValueError(f"unknown kind {entry['kind']!r}")
    except (KeyError, TypeError, ValueError) as error:
        raise StateFileError(f"{path}: journal entry {number} cannot be replayed "
                             f"({type(error).__name__}: {error})") from None
