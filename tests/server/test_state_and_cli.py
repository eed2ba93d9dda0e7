"""--state save and load, the `harness serve` process (SIGTERM, SIGINT), bad input, concurrent clients."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from harness.api.keys import KeyPair, test_key_pair
from harness.merchant.client import AmazonPayClient
from harness.server import RunningServer, ServeOptions, StateFileError, start_in_thread
from tests.server.conftest import TIMEOUT, YEN_5000, control, create_session, merchant

HARNESS = [sys.executable, "-m", "harness.cli"]


def test_state_is_saved_on_stop_and_replayed_on_start(server_options: ServeOptions, tmp_path: Path) -> None:
    options = replace(server_options, state=tmp_path / "state.json")
    with start_in_thread(options) as first, httpx.Client(timeout=TIMEOUT) as http:
        shop = merchant(http, first.base_url)
        session_id = create_session(shop)["checkoutSessionId"]
        control(first, "POST", "buyer/pay", {"checkoutSessionId": session_id})
        completed = shop.complete_checkout_session(session_id, {"chargeAmount": YEN_5000})
        permission_id = completed["chargePermissionId"]
        control(first, "POST", "wait/for", {"duration": "2 hours"})
        before = control(first, "GET", "transactions").json()
        clock = control(first, "GET", "clock").json()["now"]
    saved = json.loads(options.state.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert saved["format"] == "amazon-pay-harness-state"
    assert [entry["kind"] for entry in saved["journal"]] == ["api", "control", "api", "control"]

    with start_in_thread(options) as second, httpx.Client(timeout=TIMEOUT) as http:
        assert control(second, "GET", "transactions").json() == before
        assert control(second, "GET", "clock").json()["now"] == clock
        shop = merchant(http, second.base_url)
        assert shop.get_charge_permission(permission_id)["statusDetails"]["state"] == "Chargeable"
        next_session = create_session(shop)["checkoutSessionId"]
    assert next_session != session_id
    assert len(json.loads(options.state.read_text(encoding="utf-8"))["journal"]) == 6  # type: ignore[union-attr]


def test_without_state_a_served_request_is_not_kept(server: RunningServer) -> None:
    """Nothing reads the journal without --state, nor a served simulator's exchanges: a long-running
    server must not keep every request it answered."""
    with httpx.Client(timeout=TIMEOUT) as http:
        shop = merchant(http, server.base_url)
        session_id = create_session(shop)["checkoutSessionId"]
        for _ in range(3):
            assert shop.get_checkout_session(session_id)["checkoutSessionId"] == session_id
        control(server, "POST", "wait/for", {"duration": "1 hour"})
    assert server.served.journal == []
    assert list(server.served.handler.exchanges) == []


@pytest.mark.parametrize(("content", "says"), [
    ("{not json", "not JSON"), ('{"format": "other"}', "no \"format\""),
    ('{"format": "amazon-pay-harness-state", "version": 1}', "needs seed, start, publicKeys and journal")])
def test_a_bad_state_file_is_refused_with_its_name(server_options: ServeOptions, tmp_path: Path,
                                                   content: str, says: str) -> None:
    state = tmp_path / "state.json"
    state.write_text(content, encoding="utf-8")
    with pytest.raises(StateFileError, match=says), start_in_thread(replace(server_options, state=state)):
        pass


def test_concurrent_clients_never_lose_an_update(server_options: ServeOptions) -> None:
    with start_in_thread(server_options) as running:
        ids: list[str] = []
        lock = threading.Lock()

        def shop() -> None:
            with httpx.Client(timeout=TIMEOUT) as http:
                client = merchant(http, running.base_url)
                for _ in range(10):
                    session_id = create_session(client)["checkoutSessionId"]
                    with lock:
                        ids.append(session_id)

        threads = [threading.Thread(target=shop) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT * 3)
        assert len(ids) == len(set(ids)) == 200
        assert set(running.served.simulator.ledger.checkout_sessions) == set(ids)


def _serve(*arguments: str, ca_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([*HARNESS, "serve", "--ca-dir", str(ca_dir), *arguments], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _started(process: subprocess.Popen[str]) -> tuple[str, str]:
    """The server's base URL and what it printed at start (up to its control line)."""
    assert process.stdout is not None
    lines = [process.stdout.readline()]
    assert " on http://127.0.0.1:" in lines[0], lines[0]
    while not lines[-1].startswith("  control"):
        lines.append(process.stdout.readline())
    return lines[0].rsplit(" on ", 1)[1].strip(), "".join(lines)


MY_STORE = "amzn1.application-oa2-client.myshop"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_harness_serve_prints_where_it_is_and_stops_cleanly(ca_dir: Path, tmp_path: Path,
                                                            stop: signal.Signals) -> None:
    key = tmp_path / "private.pem"
    pair = KeyPair.from_private_key("SANDBOX-MYSHOP", test_key_pair("other").private_key)
    key.write_text(pair.private_key_pem, encoding="ascii")
    state = tmp_path / "state.json"
    process = _serve("--port", "0", "--public-key", f"SANDBOX-MYSHOP={key}", "--state", str(state),
                     "--store-id", MY_STORE, ca_dir=ca_dir)
    try:
        base_url, printed = _started(process)
        with httpx.Client(timeout=TIMEOUT) as http:
            shop = AmazonPayClient("SANDBOX-MYSHOP", pair.private_key, http=http)
            shop.base_url = f"{base_url}/v2/"
            create_session(shop)
            payload = json.dumps({"webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/r"},
                                  "storeId": MY_STORE})
            clicked = http.post(f"{base_url}/_harness/buyer/click-button", json={
                "payloadJSON": payload, "signature": shop.generate_button_signature(payload),
                "publicKeyId": "SANDBOX-MYSHOP"})
            assert clicked.status_code == 200, clicked.text
        process.send_signal(stop)
        rest, err = process.communicate(timeout=TIMEOUT)
        out = printed + rest
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "key ids    SANDBOX-MYSHOP\n" in out
    assert f"store id   {MY_STORE}   " in out
    assert f"CA         {ca_dir / 'ca.pem'}" in out
    assert f"stopped; state saved to {state}" in out
    assert "Traceback" not in err
    assert len(json.loads(state.read_text(encoding="utf-8"))["journal"]) == 2  # the click is journaled


def _one_line_error(arguments: list[str], ca_dir: Path) -> str:
    result = subprocess.run([*HARNESS, "serve", "--ca-dir", str(ca_dir), *arguments], capture_output=True,
                            text=True, timeout=TIMEOUT, check=False)
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_port_in_use_is_one_line(ca_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = _one_line_error(["--port", str(port)], ca_dir)
    assert line == f"harness: 127.0.0.1:{port} is in use; choose another --port (0: any free port)"


@pytest.mark.parametrize(("arguments", "says"), [
    (["--public-key", "SANDBOX-X=/nonexistent.pem"], "cannot read /nonexistent.pem"),
    (["--public-key", "no-equals-sign"], "expected KEYID=PEM_FILE"),
    (["--start", "yesterday"], "ISO-8601"),
    (["--port", "eighty"], "invalid int value"),
    (["--colour"], "unrecognized arguments: --colour"),
])
def test_bad_flags_are_one_line(ca_dir: Path, arguments: list[str], says: str) -> None:
    line = _one_line_error(arguments, ca_dir)
    assert says in line
    assert line.startswith("harness")
    assert line.endswith("--help)")


def test_a_pem_file_without_a_key_is_one_line(ca_dir: Path, tmp_path: Path) -> None:
    pem = tmp_path / "key.pem"
    pem.write_text("not a key\n", encoding="ascii")
    assert "holds no PEM public key" in _one_line_error(["--public-key", f"SANDBOX-X={pem}"], ca_dir)


def test_an_unusable_ca_directory_is_one_line(tmp_path: Path) -> None:
    taken = tmp_path / "a-file"
    taken.write_text("", encoding="ascii")
    line = _one_line_error(["--port", "0"], taken)
    assert f"cannot use the CA directory {taken}" in line
    assert "--ca-dir" in line
