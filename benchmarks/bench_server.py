"""Load on `harness serve` over loopback, against a static endpoint on the same uvicorn stack (not a test).

    .venv/bin/python benchmarks/bench_server.py [--clients 20] [--requests 10000]

Two servers run in child processes on 127.0.0.1 ephemeral ports, one after the other, and stop
when measured: `harness serve`, and the same uvicorn configuration (`ProxyProtocol`, h11, no
access log) serving a fixed JSON answer. The load is `--clients` concurrent keep-alive
connections sending `--requests` signed `GET /v2/checkoutSessions/{id}` in all (the signature is
made once: a past `x-amz-pay-date` stays valid, so the server verifies RSA on every request). The
load generator is asyncio with h11 in this process, so the servers' cost is what is measured.
Reports throughput, p50 and p99 latency, and the simulator's throughput as a share of the
static endpoint's (target >= 0.6); and, on Linux, each server's CPU time per request (from
/proc: what the machine's other jobs disturb least, since the load generator shares its cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import h11
import httpx

from harness.api.keys import test_key_pair
from harness.api.signer import sign_request

STATIC = """
import socket, sys, uvicorn
from harness.server.protocol import protocol_class
body = b'{"checkoutSessionId":"static","statusDetails":{"state":"Open"}}'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await receive()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print(f"harness serve: static on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
config = uvicorn.Config(app, http=protocol_class(None), lifespan="off", log_level="warning", access_log=False)
uvicorn.Server(config).run(sockets=[sock])
"""


def _start(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()
    return process, first.rsplit(" on ", 1)[1].strip().removeprefix("http://")


def _request(host: str, path: str) -> bytes:
    headers = sign_request("GET", f"https://pay-api.amazon.jp{path}", public_key_id="SANDBOX-TESTKEY",
                           private_key=test_key_pair().private_key, region="jp", now=datetime.now(UTC))
    lines = [f"GET {path} HTTP/1.1", f"host: {host}",
             *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


async def _client(host: str, port: int, request: bytes, count: int, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    connection = h11.Connection(h11.CLIENT)
    for _ in range(count):
        began = time.perf_counter()
        writer.write(request)
        connection.send(h11.Request(method="GET", target="/", headers=[("host", host)]))  # track state only
        connection.send(h11.EndOfMessage())
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                connection.receive_data(await reader.read(65536))
                continue
            if isinstance(event, h11.Response) and event.status_code != 200:
                raise RuntimeError(f"answer {event.status_code}")
            if isinstance(event, h11.EndOfMessage):
                break
        latencies.append(time.perf_counter() - began)
        connection.start_next_cycle()
    writer.close()


async def _load(address: str, path: str, clients: int, requests: int) -> tuple[float, list[float]]:
    host, port = address.split(":")
    request = _request(address, path)
    latencies: list[float] = []
    began = time.perf_counter()
    await asyncio.gather(*(_client(host, int(port), request, requests // clients, latencies)
                           for _ in range(clients)))
    return time.perf_counter() - began, latencies


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process `pid` so far (Linux /proc), None where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(command: list[str], clients: int, requests: int, *,
             simulator: bool) -> tuple[float, float, float, float | None]:
    process, address = _start(command)
    try:
        path = "/v2/checkoutSessions/static"
        if simulator:
            from harness.merchant.client import AmazonPayClient  # noqa: PLC0415

            with httpx.Client(timeout=10) as http:
                client = AmazonPayClient("SANDBOX-TESTKEY", test_key_pair().private_key, http=http)
                client.base_url = f"http://{address}/v2/"
                session = client.create_checkout_session({
                    "webCheckoutDetails": {"checkoutReviewReturnUrl": "https://shop.example/review"},
                    "storeId": "amzn1.application-oa2-client.bench"})
            path = f"/v2/checkoutSessions/{session['checkoutSessionId']}"
        asyncio.run(_load(address, path, clients, clients * 5))  # warm up
        cpu_before = _cpu_seconds(process.pid)
        elapsed, latencies = asyncio.run(_load(address, path, clients, requests))
        cpu_after = _cpu_seconds(process.pid)
    finally:
        process.terminate()
        process.wait(10)
    latencies.sort()
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / len(latencies) * 1e6
    return (len(latencies) / elapsed, statistics.median(latencies) * 1000,
            latencies[int(len(latencies) * 0.99) - 1] * 1000, cpu)


Load = tuple[float, float, float, float | None]
"""requests/s, p50 ms, p99 ms, the server's CPU µs per request (None: not on Linux)."""


def measure(clients: int = 20, requests: int = 10_000) -> tuple[Load, Load]:
    """`harness serve` and the static endpoint under the same load, one after the other."""
    with tempfile.TemporaryDirectory() as ca_dir:
        key = Path(ca_dir) / "private.pem"
        key.write_text(test_key_pair().private_key_pem, encoding="ascii")
        served = _measure([sys.executable, "-m", "harness.cli", "serve", "--port", "0", "--ca-dir", ca_dir,
                           "--public-key", f"SANDBOX-TESTKEY={key}"], clients, requests, simulator=True)
    static = _measure([sys.executable, "-c", STATIC], clients, requests, simulator=False)
    return served, static


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10_000)
    options = parser.parse_args()
    served, static = measure(options.clients, options.requests)
    print(f"{options.clients} clients, {options.requests} requests, loopback")
    print("| endpoint | requests/s | p50 ms | p99 ms | server CPU µs per request |\n|---|---|---|---|---|")
    for name, (rate, p50, p99, cpu) in (("harness serve, signed getCheckoutSession", served),
                                        ("static JSON, same uvicorn stack", static)):
        print(f"| {name} | {rate:,.0f} | {p50:.2f} | {p99:.2f} | {'-' if cpu is None else f'{cpu:.0f}'} |")
    print(f"ratio simulator / static: {served[0] / static[0]:.2f} (target >= 0.6)")
    if served[3] is not None and static[3] is not None:
        print(f"CPU per request, static / simulator: {static[3] / served[3]:.2f}")


if __name__ == "__main__":
    main()
