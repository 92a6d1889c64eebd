"""Real uvicorn servers on free 127.0.0.1 ports, each in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Protocol

import uvicorn
from starlette.types import ASGIApp


def bound_socket() -> socket.socket:
    # Bound before uvicorn starts, so the port is known and no other test can take it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def plain_config(app: ASGIApp, *, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app, host=host, port=port, lifespan="on", log_config=None, access_log=False,
        timeout_graceful_shutdown=1,
    )


class ServerThread:
    def __init__(self, config: uvicorn.Config, sock: socket.socket) -> None:
        self.server = uvicorn.Server(config)
        self._sock = sock
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        host, port = sock.getsockname()
        self.url = f"http://{host}:{port}"

    def start(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 5
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"server at {self.url} did not start")
            time.sleep(0.005)
        return self

    def request_stop(self) -> None:
        self.server.should_exit = True

    def stop(self) -> None:
        self.request_stop()
        self._thread.join(timeout=5)
        self._sock.close()


class ConfigFactory(Protocol):
    def __call__(self, app: ASGIApp, *, host: str, port: int) -> uvicorn.Config: ...


def start(app: ASGIApp, *, make_config: ConfigFactory = plain_config) -> ServerThread:
    sock = bound_socket()
    host, port = sock.getsockname()
    return ServerThread(make_config(app, host=host, port=port), sock).start()
