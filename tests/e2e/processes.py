"""Starting Trellis's own processes for end-to-end tests, and waiting for them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from trellis_local.pytest_plugin import TEST_STATE_DIR
from trellis_local.stack import Stack

LOG_DIR = TEST_STATE_DIR / "logs"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    """A Trellis process whose output goes to .local/test/logs/<name>.log."""

    def __init__(self, name: str, module: str, *args: str, env: dict[str, str]) -> None:
        self.name = name
        self.argv = [sys.executable, "-m", module, *args]
        self.env = {**os.environ, **env}
        self.log_path = LOG_DIR / f"{name}.log"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(self.argv, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def stop(self, timeout: float = 15) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def kill(self) -> None:
        """kill -9: no chance to flush, commit or say goodbye."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def wait_until_ready(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited; see {process.log_path}:\n{process.log_tail()}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s; see {process.log_path}:\n{process.log_tail()}")


def eventually(check: object, timeout: float = 10, interval: float = 0.05, *,
               what: str = "condition") -> float:
    """Polls ``check()`` until it is truthy; returns how long it took. The timeout only
    turns a hang into a message naming ``what`` did not happen."""
    assert callable(check)
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what} not met within {timeout}s")
        time.sleep(interval)


# The tests sign up and log in more often from one address than the defaults allow.
GENEROUS_LIMITS = {
    "TRELLIS_GATEWAY_SIGN_IN_PER_ADDRESS": "1000/min",
    "TRELLIS_IDENTITY_SIGNUPS_PER_ADDRESS": "1000/min",
    "TRELLIS_IDENTITY_ATTEMPTS_PER_ADDRESS": "1000/min",
}


@contextmanager
def running_stack(stack: Stack) -> Iterator[Stack]:
    """The stack's Trellis processes for the block; the test's PostgreSQL and Kafka stay."""
    try:
        stack.up()
        yield stack
    finally:
        stack.down(infrastructure=False)
