"""A lean HTTP/1.1 load generator: keep-alive connections on asyncio streams.

The load generator shares two cores with the system it measures, so it must cost little:
no client library, one request written as prepared bytes, the response read by its
Content-Length. The same client drives Trellis and the bare baseline endpoint, so its
own cost weighs on both sides of a ratio.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def json(cls, method: str, path: str, payload: Any, headers: dict[str, str] | None = None) -> Request:
        return cls(method, path, {"content-type": "application/json", **(headers or {})},
                   json.dumps(payload).encode())

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            lines.append(f"content-length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    sent_at: float
    received_at: float

    @property
    def seconds(self) -> float:
        return self.received_at - self.sent_at


class Connection:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, request: Request) -> Response:
        if self._writer is None or self._writer.is_closing():
            await self._open()
        assert self._reader is not None
        assert self._writer is not None
        sent_at = time.perf_counter()
        self._writer.write(request.encode(f"{self.host}:{self.port}"))
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lowered = name.strip().lower()
            if lowered == b"content-length":
                length = int(value)
            elif lowered == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self._reader.readexactly(length) if length else b""
        received_at = time.perf_counter()
        if close:
            await self.close()
        return Response(status, body, sent_at, received_at)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self._writer.wait_closed()
            self._writer = None
            self._reader = None


@dataclass
class LoadResult:
    latencies: list[float]
    seconds: float
    errors: int
    statuses: dict[int, int]
    responses: list[Response]

    @property
    def completed(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0


MakeRequest = Callable[[int], Request]


async def closed_loop(base_url: str, make: MakeRequest, *, concurrency: int, seconds: float,
                      warmup_seconds: float = 1.0, expect: int = 200,
                      keep: Callable[[Response], bool] | None = None) -> LoadResult:
    """``concurrency`` clients each sending their next request as soon as the last answered.

    Requests answered during the warm-up are not counted; ``keep`` picks responses to
    return (to learn the ids a command created, say).
    """
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    kept: list[Response] = []
    errors = 0
    counter = 0
    started = time.perf_counter()
    measure_from = started + warmup_seconds
    stop_at = measure_from + seconds

    async def client() -> None:
        nonlocal errors, counter
        connection = Connection(base_url)
        try:
            while time.perf_counter() < stop_at:
                counter += 1
                response = await connection.send(make(counter))
                if response.sent_at < measure_from:
                    continue
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.status != expect:
                    errors += 1
                    continue
                latencies.append(response.seconds)
                if keep is not None and keep(response):
                    kept.append(response)
        finally:
            await connection.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - measure_from
    return LoadResult(latencies, elapsed, errors, statuses, kept)


async def open_loop(base_url: str, make: MakeRequest, *, rate: float, seconds: float,
                    on_response: Callable[[Response], None], max_connections: int = 64,
                    expect: int = 201) -> LoadResult:
    """Requests started at a fixed rate, whatever the answers' speed (a queue forms if slow).

    Connections are taken from a pool; when all are busy the next request waits for one,
    which is itself a sign the rate is beyond what the system sustains.
    """
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    connections = [Connection(base_url) for _ in range(max_connections)]
    for connection in connections:
        pool.put_nowait(connection)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    interval = 1.0 / rate
    total = int(rate * seconds)
    started = time.perf_counter()
    tasks: list[asyncio.Task[None]] = []

    async def one(n: int) -> None:
        nonlocal errors
        connection = await pool.get()
        try:
            response = await connection.send(make(n))
        finally:
            pool.put_nowait(connection)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status != expect:
            errors += 1
            return
        latencies.append(response.seconds)
        on_response(response)

    for n in range(total):
        due = started + n * interval
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    for connection in connections:
        await connection.close()
    return LoadResult(latencies, elapsed, errors, statuses, [])
