"""A small load generator: keep-alive HTTP/1.1 connections driven flat out from asyncio.

Plain sockets rather than an HTTP client library, so that the driver costs far less than the
server it measures; each client sends one request at a time and waits for the answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Figures", "RequestMaker", "drive", "http_request"]


@dataclass
class Figures:
    scenario: str
    requests: int
    errors: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float


RequestMaker = Callable[[int, int], bytes]


async def _client(
    port: int,
    make_request: RequestMaker,
    index: int,
    start: float,
    stop: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0
    try:
        while time.perf_counter() < stop:
            request = make_request(index, sent)
            sent += 1
            began = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            ended = time.perf_counter()
            if began >= start:
                latencies.append(ended - began)
                if not 200 <= status < 300:
                    errors.append(status)
    finally:
        writer.close()


async def drive(
    port: int,
    scenario: str,
    make_request: RequestMaker,
    clients: int,
    seconds: float,
    warmup: float,
) -> Figures:
    """Run `clients` connections flat out for warmup + seconds; measure only after warm-up."""
    latencies: list[float] = []
    errors: list[int] = []
    start = time.perf_counter() + warmup
    stop = start + seconds
    await asyncio.wait_for(
        asyncio.gather(
            *(
                _client(port, make_request, i, start, stop, latencies, errors)
                for i in range(clients)
            )
        ),
        timeout=warmup + seconds + 30,
    )
    measured = sorted(latencies)
    count = len(measured)
    return Figures(
        scenario=scenario,
        requests=count,
        errors=len(errors),
        seconds=seconds,
        requests_per_second=round(count / seconds, 1),
        p50_ms=round(measured[count // 2] * 1000, 2) if count else 0.0,
        p99_ms=round(measured[min(count - 1, int(count * 0.99))] * 1000, 2) if count else 0.0,
    )


def http_request(
    method: str, path: str, port: int, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
