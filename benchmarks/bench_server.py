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

`--same-answer` adds a third server (not part of the S1 row): the static endpoint answering the
bytes the simulator answered (its headers and its 1.8 kB Checkout Session, not the 64-byte body),
to show what the answer's size alone costs both sides.
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

STATIC_TEMPLATE = """
import socket, sys, uvicorn
from harness.server.protocol import protocol_class
body = {body!r}
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await receive()
    headers = [{headers}, (b"content-length", str(len(body)).encode())]
    await send({{"type": "http.response.start", "status": 200, "headers": headers}})
    await send({{"type": "http.response.body", "body": body}})
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print(f"harness serve: static on http://127.0.0.1:{{sock.getsockname()[1]}}", flush=True)
config = uvicorn.Config(app, http=protocol_class(None), lifespan="off", log_level="warning", access_log=False)
uvicorn.Server(config).run(sockets=[sock])
"""

Answer = tuple[list[tuple[bytes, bytes]], bytes]
"""Headers (without content-length, which the endpoint adds) and body of a static answer."""


def static_script(answer: Answer) -> str:
    """The static endpoint's program, answering `answer` to every request."""
    headers, body = answer
    return STATIC_TEMPLATE.format(body=body, headers=", ".join(repr(header) for header in headers))


STATIC = static_script(([(b"content-type", b"application/json")],
                        b'{"checkoutSessionId":"static","statusDetails":{"state":"Open"}}'))


def _start(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()
    return process, first.rsplit(" on ", 1)[1].strip().removeprefix("http://")


def _signed(path: str) -> dict[str, str]:
    return sign_request("GET", f"https://pay-api.amazon.jp{path}", public_key_id="SANDBOX-TESTKEY",
                        private_key=test_key_pair().private_key, region="jp", now=datetime.now(UTC))


def _request(host: str, path: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"host: {host}",
             *(f"{name}: {value}" for name, value in _signed(path).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


SERVER_HEADERS = frozenset({b"date", b"server", b"content-length"})
"""Headers uvicorn writes itself (and the length, which the static endpoint adds)."""


def _answer(http: httpx.Client, address: str, path: str) -> Answer:
    """What the simulator answers the benchmark's request: its own headers and body."""
    response = http.get(f"http://{address}{path}", headers=_signed(path))
    return [(name, value) for name, value in response.headers.raw if name not in SERVER_HEADERS], \
        response.content


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


Load = tuple[float, float, float, float | None]
"""requests/s, p50 ms, p99 ms, the server's CPU µs per request (None: not on Linux)."""


def _measure(command: list[str], clients: int, requests: int, *,
             simulator: bool) -> tuple[Load, Answer | None]:
    """The load on the server `command` starts, and (for the simulator) what it answers."""
    process, address = _start(command)
    answer = None
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
                answer = _answer(http, address, path)
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
            latencies[int(len(latencies) * 0.99) - 1] * 1000, cpu), answer


def measure_all(clients: int = 20, requests: int = 10_000, *,
                same_answer: bool = False) -> tuple[Load, Load, Load | None]:
    """`harness serve`, the static endpoint and (`same_answer`) the static endpoint answering the
    simulator's bytes, under the same load, one after the other."""
    with tempfile.TemporaryDirectory() as ca_dir:
        key = Path(ca_dir) / "private.pem"
        key.write_text(test_key_pair().private_key_pem, encoding="ascii")
        served, answer = _measure([sys.executable, "-m", "harness.cli", "serve", "--port", "0", "--ca-dir",
                                   ca_dir, "--public-key", f"SANDBOX-TESTKEY={key}"], clients, requests,
                                  simulator=True)
    static = _measure([sys.executable, "-c", STATIC], clients, requests, simulator=False)[0]
    same = None
    if same_answer:
        assert answer is not None
        same = _measure([sys.executable, "-c", static_script(answer)], clients, requests, simulator=False)[0]
    return served, static, same


def measure(clients: int = 20, requests: int = 10_000) -> tuple[Load, Load]:
    """`harness serve` and the static endpoint under the same load, one after the other."""
    served, static, _ = measure_all(clients, requests)
    return served, static


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--same-answer", action="store_true",
                        help="also the static endpoint answering the simulator's bytes (an extra row)")
    options = parser.parse_args()
    served, static, same = measure_all(options.clients, options.requests, same_answer=options.same_answer)
    print(f"{options.clients} clients, {options.requests} requests, loopback")
    print("| endpoint | requests/s | p50 ms | p99 ms | server CPU µs per request |\n|---|---|---|---|---|")
    rows = [("harness serve, signed getCheckoutSession", served), ("static JSON, same uvicorn stack", static)]
    if same is not None:
        rows.append(("static, the simulator's answer's bytes", same))
    for name, (rate, p50, p99, cpu) in rows:
        print(f"| {name} | {rate:,.0f} | {p50:.2f} | {p99:.2f} | {'-' if cpu is None else f'{cpu:.0f}'} |")
    print(f"ratio simulator / static: {served[0] / static[0]:.2f} (target >= 0.6)")
    if served[3] is not None and static[3] is not None:
        print(f"CPU per request, static / simulator: {static[3] / served[3]:.2f}")
    if same is not None:
        print(f"ratio simulator / static with the simulator's answer: {served[0] / same[0]:.2f}"
              + ("" if served[3] is None or same[3] is None else f" (CPU {same[3] / served[3]:.2f})"))


if __name__ == "__main__":
    main()
