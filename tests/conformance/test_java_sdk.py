"""The unmodified official Java SDK (AMAZON_PAY_JAVA_SDK_CLASSPATH: its jar and dependencies) runs
examples/sdk-recipes/java/Checkout.java against `harness serve` over a socket: through the SDK's own
ProxySettings (CONNECT, the server's CA in a truststore made with keytool) and with overrideServiceURL
(HTTPS to `--tls`), with both signature algorithms; and the JVM's proxy properties, which it ignores.
Skipped without the SDK, java or javac (CI has none).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conformance.sdk_recipes import (
    ALGORITHMS,
    RECIPES,
    key_file,
    recipe_env,
    recipe_server,
    required,
    run_recipe,
)

PROGRAM = RECIPES / "java" / "Checkout.java"
STOREPASS = "changeit"
TOOL_TIMEOUT = 120.0
UNUSED_LOOPBACK = "127.0.0.2"
"""Where the hosts file sends Amazon's host: loopback, and no server listens there on 443."""


@dataclass(frozen=True)
class JavaRecipe:
    """The compiled program, its classpath, the server's CA directory, its truststore and a key file."""

    java: str
    classpath: str
    ca_dir: Path
    truststore: Path
    key: Path

    def command(self, *properties: str) -> list[str]:
        """`java` trusting the server's CA, running the program on the SDK's classpath."""
        return [self.java, f"-Djavax.net.ssl.trustStore={self.truststore}",
                f"-Djavax.net.ssl.trustStorePassword={STOREPASS}", *properties, "-cp", self.classpath,
                "Checkout"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed: run ./scripts/setup-sdk-recipes")
    return path


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def recipe(tmp_path_factory: pytest.TempPathFactory) -> JavaRecipe:
    """Checkout.java compiled against the SDK, and a truststore holding the server's CA."""
    java, sdk_classpath = required("java", "AMAZON_PAY_JAVA_SDK_CLASSPATH")
    javac, keytool = _tool("javac"), _tool("keytool")
    work = tmp_path_factory.mktemp("java-recipe")
    classes = work / "classes"
    _run([javac, "-cp", sdk_classpath, "-d", str(classes), str(PROGRAM)])
    ca_dir = work / "ca"
    with recipe_server(ca_dir) as server:  # creates the CA once; the tests' servers reuse it
        ca_path = server.ca_path
    truststore = work / "harness.jks"
    _run([keytool, "-importcert", "-file", str(ca_path), "-alias", "amazon-pay-harness", "-keystore",
          str(truststore), "-storepass", STOREPASS, "-noprompt"])
    classpath = os.pathsep.join([sdk_classpath, str(classes)])
    return JavaRecipe(java, classpath, ca_dir, truststore, key_file(work))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_checkout_through_the_sdks_proxy_settings(recipe: JavaRecipe, algorithm: str) -> None:
    """The SDK's HttpClient ignores -Dhttps.proxyHost and HTTPS_PROXY; its ProxySettings open CONNECT."""
    with recipe_server(recipe.ca_dir) as server:
        env = recipe_env(server, recipe.key, algorithm, AMAZON_PAY_PROXY=f"127.0.0.1:{server.port}")
        passed = run_recipe(recipe.command(), env, server, algorithm)
        assert passed.endswith(f"ProxySettings 127.0.0.1:{server.port})")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_checkout_with_override_service_url(recipe: JavaRecipe, algorithm: str) -> None:
    """overrideServiceURL (host:port, set by a subclass of PayConfiguration) to the server's --tls port."""
    with recipe_server(recipe.ca_dir, tls=True) as server:
        env = recipe_env(server, recipe.key, algorithm,
                         AMAZON_PAY_OVERRIDE_SERVICE_URL=f"127.0.0.1:{server.port}")
        passed = run_recipe(recipe.command(), env, server, algorithm)
        assert passed.endswith(f"overrideServiceURL=127.0.0.1:{server.port})")


def test_the_jvm_proxy_properties_and_https_proxy_are_not_honoured(recipe: JavaRecipe,
                                                                   tmp_path: Path) -> None:
    """With only -Dhttps.proxyHost (and HTTPS_PROXY) the SDK dials Amazon's host itself. The JVM's hosts
    file sends that name to 127.0.0.2:443, where nothing listens, so nothing leaves the machine."""
    hosts = tmp_path / "hosts"
    hosts.write_text(f"{UNUSED_LOOPBACK} pay-api.amazon.jp\n", encoding="ascii")
    with recipe_server(recipe.ca_dir) as server:
        env = recipe_env(server, recipe.key, ALGORITHMS[1], HTTPS_PROXY=server.base_url)
        properties = (f"-Djdk.net.hosts.file={hosts}", "-Dhttps.proxyHost=127.0.0.1",
                      f"-Dhttps.proxyPort={server.port}", "-Djava.net.useSystemProxies=true")
        result = subprocess.run(recipe.command(*properties), env=env, capture_output=True, text=True,
                                timeout=TOOL_TIMEOUT, check=False)
        timeline = httpx.get(f"{server.base_url}/_harness/timeline", timeout=10.0).json()["entries"]
    assert result.returncode != 0, result.stdout
    assert f"Connect to pay-api.amazon.jp:443 [pay-api.amazon.jp/{UNUSED_LOOPBACK}] failed" in result.stderr
    assert timeline == []
