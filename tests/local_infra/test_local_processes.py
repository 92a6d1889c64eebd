"""The `make up` supervisor, driving a real `python -m http.server`."""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trellis_local import ports
from trellis_local.errors import LocalInfraError
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.processes import (
    kill_process,
    process_status,
    start_process,
    stop_process,
    wait_http_ok,
)


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalPaths]:
    monkeypatch.setenv("TRELLIS_LOCAL_DIR", str(tmp_path / "state"))
    yield local_paths()
    for name in ("web", "printer"):
        stop_process(name, timeout=5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_start_and_stop_an_http_server(state: LocalPaths) -> None:
    port = _free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    pid = start_process("web", argv, {"PYTHONUNBUFFERED": "1"}, cwd=state.root)
    assert state.pid_file("web").read_text().strip() == str(pid)

    wait_http_ok(f"http://127.0.0.1:{port}/", timeout=20, name="web")
    status = process_status("web")
    assert status["running"] is True
    assert status["pid"] == pid
    # No second copy while the first runs.
    assert start_process("web", argv, {"PYTHONUNBUFFERED": "1"}) == pid

    stop_process("web")
    assert process_status("web")["running"] is False
    assert not state.pid_file("web").exists()
    assert ports.port_is_free(port)
    assert '"GET / HTTP/1.1" 200' in state.log("web").read_text()


def test_environment_reaches_the_process_and_kill_ends_it(state: LocalPaths) -> None:
    script = "import os, time; print(os.environ['GREETING'], flush=True); time.sleep(120)"
    start_process("printer", [sys.executable, "-c", script], {"GREETING": "hello from env"})
    log = state.log("printer")
    deadline = time.monotonic() + 10
    while "hello from env" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "hello from env" in log.read_text()

    with pytest.raises(LocalInfraError, match="another command"):
        start_process("printer", [sys.executable, "-c", "print('a different program')"])

    kill_process("printer")
    assert process_status("printer")["running"] is False


def test_a_pid_file_naming_a_stranger_is_not_trusted(state: LocalPaths) -> None:
    # As after a crash and pid reuse: the pid file names a live process we did not start
    # (this very test process). It must be neither reported nor signalled.
    state.run.mkdir(parents=True, exist_ok=True)
    state.pid_file("web").write_text(f"{os.getpid()}\n")
    assert process_status("web")["running"] is False
    stop_process("web")
    kill_process("web")
    assert not state.pid_file("web").exists()
