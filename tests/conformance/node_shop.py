"""Starting the example Node shop (examples/node-shop) as a subprocess on 127.0.0.1, and stopping it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOP_DIR = ROOT / "examples" / "node-shop"
READY = "node-shop listening on "
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class NodeShop:
    """A running shop: its adapter base URL and the line it printed when ready."""

    url: str
    banner: str

    @property
    def adapter_url(self) -> str:
        """What `--amazon-pay-merchant` names."""
        return f"{self.url}/harness"


def free_port() -> int:
    """A port free on 127.0.0.1 right now (for the server the shop is started to reach)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require_node() -> str:
    node = shutil.which("node")
    if node is None or not (SHOP_DIR / "node_modules" / "@amazonpay").is_dir():
        pytest.fail("the Node shop is not installed: run ./scripts/setup-node (Node.js 20 with npm)")
    return node


@contextmanager
def node_shop(proxy_port: int, algorithm: str) -> Iterator[NodeShop]:
    """The shop, its Amazon Pay calls sent through `HTTPS_PROXY=http://127.0.0.1:proxy_port`."""
    env = {**os.environ, "HTTPS_PROXY": f"http://127.0.0.1:{proxy_port}", "SHOP_PORT": "0",
           "AMAZON_PAY_ALGORITHM": algorithm, "NO_PROXY": ""}
    process = subprocess.Popen([_require_node(), "shop.js"], cwd=SHOP_DIR, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith(READY):
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(START_TIMEOUT) or not lines or not lines[-1].startswith(READY):
            pytest.fail("the Node shop did not start:\n" + "".join(lines))
        banner = lines[-1].strip()
        yield NodeShop(banner.removeprefix(READY).split()[0], banner)
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
