"""Running the merchant programs of examples/sdk-recipes against a real `harness serve` over a socket.

The programs are ours; the SDK they run on is the user's unmodified copy, named by an environment
variable (AMAZON_PAY_PHP_SDK, AMAZON_PAY_JAVA_SDK_CLASSPATH). Without it, or without php / java,
the tests skip and say why: CI has neither SDK (their registries are not reachable there).
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from harness.api.keys import test_key_pair
from harness.ids import Environment
from harness.server import PublicKey, RunningServer, ServeOptions, start_in_thread

ROOT = Path(__file__).resolve().parents[2]
RECIPES = ROOT / "examples" / "sdk-recipes"
KEY_ID = "SANDBOX-TESTKEY"
STORE_ID = "amzn1.application-oa2-client.sdk-recipe"
"""The programs' default storeId, which the server's button accepts (`harness serve --store-id`)."""
ALGORITHMS = ("AMZN-PAY-RSASSA-PSS", "AMZN-PAY-RSASSA-PSS-V2")
RUN_TIMEOUT = 180.0
"""Seconds one program may take (it waits out the SDK's retry of a planned 503: 1-2 s)."""
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
                   "ALL_PROXY", "all_proxy")
EXPECTED_CHECKS = ("ok the SDK retried the 503 once",
                   "ok the planned 503 was met once",
                   "ok the transaction view shows the OneTime order Closed: 5000 authorized and captured, "
                   "1000 refunded",
                   "ok the closed Recurring permission is Closed",
                   "ok the transaction view shows both Recurring charges Closed, 980 captured each",
                   "ok the button's session is Open for the store",
                   "ok getReports lists the requested report")


def required(tool: str, variable: str) -> tuple[str, str]:
    """The tool's path and the SDK location the variable names, or a skip saying what is missing."""
    location = os.environ.get(variable, "")
    if not location:
        pytest.skip(f"{variable} is not set: point it at the SDK (examples/sdk-recipes/README.md); "
                    "CI has no copy of it")
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed: run ./scripts/setup-sdk-recipes")
    return path, location


def key_file(directory: Path) -> Path:
    """The server's test key as the PKCS#8 PEM file both SDKs read."""
    path = directory / "private.pem"
    path.write_text(test_key_pair().private_key_pem, encoding="ascii")
    return path


def port_free(port: int) -> bool:
    """Whether this process may listen on 127.0.0.1:port now (443 needs root and nobody on it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def recipe_server(ca_dir: Path, *, tls: bool = False, port: int = 0) -> Iterator[RunningServer]:
    """`harness serve` in a thread on 127.0.0.1, accepting the test key and the programs' storeId, stopped
    afterwards."""
    key = PublicKey(KEY_ID, Environment.SANDBOX, test_key_pair().public_key_pem)
    options = ServeOptions(ca_dir=ca_dir, port=port, tls=tls, public_keys=[key], store_id=STORE_ID)
    with start_in_thread(options) as server:
        yield server


def recipe_env(server: RunningServer, key: Path, algorithm: str, **extra: str) -> dict[str, str]:
    """The program's environment: the server, the key, the algorithm, no proxy unless `extra` sets one."""
    env = {name: value for name, value in os.environ.items() if name not in PROXY_VARIABLES}
    return {**env, "HARNESS_URL": server.base_url, "AMAZON_PAY_PUBLIC_KEY_ID": KEY_ID,
            "AMAZON_PAY_PRIVATE_KEY": str(key), "AMAZON_PAY_ALGORITHM": algorithm, **extra}


def run_recipe(command: list[str], env: dict[str, str], server: RunningServer, algorithm: str) -> str:
    """Run a program to its end; it must pass every check, and the server must agree: its PASS line."""
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                            check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    lines = result.stdout.splitlines()
    assert all(check in lines for check in EXPECTED_CHECKS), output[-4000:]
    passed = lines[-1]
    assert passed.startswith("PASS ") and algorithm + "," in passed, output[-4000:]
    trust = ssl.create_default_context(cafile=str(server.ca_path))
    view = httpx.get(f"{server.base_url}/_harness/transactions", verify=trust, timeout=10.0)
    rows = [(row["status"], row["captured"]["amount"], row["refunded"]["amount"])
            for row in view.json()["transactions"]]
    assert sorted(rows) == [("Closed", "5000", "1000"), ("Closed", "980", "0"), ("Closed", "980", "0")]
    return passed
