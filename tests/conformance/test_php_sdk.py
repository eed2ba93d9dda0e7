"""The unmodified official PHP SDK (AMAZON_PAY_PHP_SDK: composer's vendor/autoload.php or the SDK's
folder) runs examples/sdk-recipes/php/checkout.php against `harness serve` over a socket: through
HTTPS_PROXY with the server's CA (curl.cainfo, or openssl.cafile), and with `override_service_url`,
with both signature algorithms; and that the override never reaches another port than 443. Skipped
without the SDK or php (CI has neither).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conformance.sdk_recipes import (
    ALGORITHMS,
    RECIPES,
    RUN_TIMEOUT,
    key_file,
    port_free,
    recipe_env,
    recipe_server,
    required,
    run_recipe,
)

PROGRAM = RECIPES / "php" / "checkout.php"
HTTPS_PORT = 443
"""The SDK connects to port 443 whatever `override_service_url` says (HttpCurl sets CURLOPT_PORT)."""


@pytest.fixture
def php(tmp_path: Path) -> tuple[str, str, Path]:
    """php, the SDK's location and a key file; or a skip naming what is missing."""
    executable, sdk = required("php", "AMAZON_PAY_PHP_SDK")
    return executable, sdk, key_file(tmp_path)


@pytest.mark.parametrize(("algorithm", "ca_setting"), [(ALGORITHMS[0], "curl.cainfo"),
                                                       (ALGORITHMS[1], "curl.cainfo"),
                                                       (ALGORITHMS[1], "openssl.cafile")])
def test_a_checkout_through_https_proxy(php: tuple[str, str, Path], tmp_path: Path, algorithm: str,
                                        ca_setting: str) -> None:
    """No change to the SDK's configuration: curl opens CONNECT pay-api.amazon.jp:443 to the server."""
    executable, sdk, key = php
    with recipe_server(tmp_path / "ca") as server:
        env = recipe_env(server, key, algorithm, HTTPS_PROXY=server.base_url)
        passed = run_recipe([executable, "-d", f"{ca_setting}={server.ca_path}", str(PROGRAM), sdk], env,
                            server, algorithm)
        assert passed.endswith(f"HTTPS_PROXY={server.base_url})")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_checkout_with_override_service_url(php: tuple[str, str, Path], tmp_path: Path,
                                              algorithm: str) -> None:
    """`override_service_url` names a host only: the SDK always speaks HTTPS to its port 443, so the
    server listens there with --tls (root, and the port free)."""
    executable, sdk, key = php
    if not port_free(HTTPS_PORT):
        pytest.skip(f"127.0.0.1:{HTTPS_PORT} cannot be listened on here (not root, or in use), and the PHP "
                    "SDK's override_service_url always reaches port 443")
    with recipe_server(tmp_path / "ca", tls=True, port=HTTPS_PORT) as server:
        env = recipe_env(server, key, algorithm, AMAZON_PAY_OVERRIDE_SERVICE_URL="https://localhost")
        passed = run_recipe([executable, "-d", f"curl.cainfo={server.ca_path}", str(PROGRAM), sdk], env,
                            server, algorithm)
    assert passed.endswith("override_service_url=https://localhost)")


def test_override_service_url_reaches_port_443_whatever_port_it_names(php: tuple[str, str, Path],
                                                                      tmp_path: Path) -> None:
    """`http://127.0.0.1:PORT` of the server: the SDK connects to 127.0.0.1:443 in HTTPS instead (nobody
    listens there, so the call fails) and the server sees nothing."""
    executable, sdk, key = php
    if not port_free(HTTPS_PORT):
        pytest.skip(f"127.0.0.1:{HTTPS_PORT} is in use here: the SDK's call would reach it")
    with recipe_server(tmp_path / "ca") as server:
        env = recipe_env(server, key, ALGORITHMS[1], AMAZON_PAY_OVERRIDE_SERVICE_URL=server.base_url)
        result = subprocess.run([executable, str(PROGRAM), sdk], env=env, capture_output=True, text=True,
                                timeout=RUN_TIMEOUT, check=False)
        timeline = httpx.get(f"{server.base_url}/_harness/timeline", timeout=10.0).json()["entries"]
    assert result.returncode != 0, result.stdout
    assert f"Failed to connect to 127.0.0.1 port {HTTPS_PORT}" in result.stdout + result.stderr
    assert timeline == []
