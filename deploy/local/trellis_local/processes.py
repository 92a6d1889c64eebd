"""A tiny supervisor for `make up`: named background processes with logs and pid files.

Each process runs detached in its own session (it outlives the command that started it),
appends stdout and stderr to <state>/logs/<name>.log and is tracked by
<state>/run/<name>.pid. There is no restart policy: a crash stays visible in the log.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]

from trellis_local.detached import (
    cmdline_of,
    kill_pid,
    live_process,
    read_pid,
    remove_pid,
    spawn,
    stop_pid,
    write_pid,
)
from trellis_local.errors import LocalInfraError
from trellis_local.locks import file_lock
from trellis_local.logs import mark_start, with_log_tail
from trellis_local.paths import LocalPaths, local_paths

# Set in every supervised process's environment to tell it apart from a stranger that
# got the same pid after a crash; inherited by its children, harmless to them.
MARKER_ENV = "TRELLIS_LOCAL_PROCESS"
# Names become file names under logs/ and run/.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"process name {name!r} must be letters, digits, '.', '_' or '-'")
    return name


def _matches(cmdline: Sequence[str], argv: Sequence[str]) -> bool:
    """Whether a running process's command line is `argv`.

    Exact match, or the same arguments after an interpreter: a console script such as
    `uvicorn` shows up as `/venv/bin/python /venv/bin/uvicorn ...`.
    """
    if list(cmdline) == list(argv):
        return True
    if not argv or len(cmdline) < len(argv):
        return False
    args = list(argv[1:])
    if args and list(cmdline[-len(args):]) != args:
        return False
    head = cmdline[: len(cmdline) - len(args)]
    program = Path(argv[0]).name
    return any(Path(part).name == program for part in head)


def _marker(name: str, paths: LocalPaths) -> str:
    return f"{name}@{paths.root}"


def _running(name: str, paths: LocalPaths) -> psutil.Process | None:
    """The live process the pid file names, if it is the one we started under `name`.

    Identified by an environment variable set at start, so that a pid reused by some
    unrelated program after a crash is never signalled.
    """
    pid = read_pid(paths.pid_file(name))
    if pid is None:
        return None
    proc = live_process(pid)
    if proc is None:
        return None
    try:
        marker = proc.environ().get(MARKER_ENV)
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return None
    return proc if marker == _marker(name, paths) else None


def start_process(
    name: str,
    argv: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path | str | None = None,
    paths: LocalPaths | None = None,
) -> int:
    """Start `argv` as the supervised process `name` and return its pid.

    `env` is added to (and overrides) this process's environment. If the pid file names a
    live process with the same command line, no second copy is started and its pid is
    returned, so `make up` can be run again safely; if it runs another command, this
    raises LocalInfraError (stop it first).
    """
    paths = paths or local_paths()
    _checked(name)
    if not argv:
        raise ValueError("argv must not be empty")
    paths.ensure()
    # Two `make up`s at once must not both decide that nothing runs yet.
    with file_lock(paths.run / f".{name}.lock"):
        existing = _running(name, paths)
        if existing is not None:
            if _matches(cmdline_of(existing), argv):
                return int(existing.pid)
            # Starting the new command beside the old one would leave the old one serving
            # (and holding the port) while its pid file is lost: refuse instead.
            raise LocalInfraError(
                f"{name} is already running (pid {existing.pid}) with another command: "
                f"{' '.join(cmdline_of(existing))}. Stop it first.",
                paths.log(name),
            )
        log = paths.log(name)
        mark_start(log, name, argv)
        merged = {**os.environ, **(env or {}), MARKER_ENV: _marker(name, paths)}
        pid = spawn(argv, log, env=merged, cwd=Path(cwd) if cwd is not None else None)
        write_pid(paths.pid_file(name), pid)
        return pid


def stop_process(name: str, timeout: float = 15.0, *, paths: LocalPaths | None = None) -> None:
    """SIGTERM the process (and its group), wait up to `timeout` s, then SIGKILL."""
    paths = paths or local_paths()
    proc = _running(_checked(name), paths)
    if proc is not None:
        stop_pid(proc.pid, timeout)
    remove_pid(paths.pid_file(name))


def kill_process(name: str, *, paths: LocalPaths | None = None) -> None:
    """SIGKILL the process and its group at once: a crash, for fault tests."""
    paths = paths or local_paths()
    proc = _running(_checked(name), paths)
    if proc is not None:
        kill_pid(proc.pid)
    remove_pid(paths.pid_file(name))


def process_status(name: str, *, paths: LocalPaths | None = None) -> dict[str, Any]:
    paths = paths or local_paths()
    proc = _running(_checked(name), paths)
    return {
        "service": name,
        "running": proc is not None,
        "pid": proc.pid if proc is not None else None,
        "cmdline": cmdline_of(proc) if proc is not None else None,
        "log": str(paths.log(name)),
    }


def wait_http_ok(
    url: str,
    timeout: float = 30.0,
    *,
    name: str | None = None,
    paths: LocalPaths | None = None,
) -> None:
    """Poll `url` until it answers 200.

    With `name`, fail at once if that supervised process dies meanwhile, quoting its log.
    """
    paths = paths or local_paths()
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    with httpx.Client(timeout=2.0) as client:
        while True:
            try:
                response = client.get(url)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}"
            except httpx.HTTPError as err:
                last = f"{type(err).__name__}: {err}"
            if name is not None and _running(name, paths) is None:
                log = paths.log(name)
                raise LocalInfraError(
                    with_log_tail(f"{name} exited while waiting for {url} ({last})", log), log
                )
            if time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    log_path = paths.log(name) if name is not None else None
    message = f"{url} did not answer 200 within {timeout:.0f}s (last: {last})"
    if log_path is not None:
        message = with_log_tail(message, log_path)
    raise LocalInfraError(message, log_path)
