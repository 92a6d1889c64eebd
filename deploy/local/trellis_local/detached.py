"""Detached background processes tracked by pid files: spawn, check, signal, stop.

Processes are started in their own session so that Ctrl-C in the terminal (or pytest
ending) does not reach them and so that they outlive the Python process that started
them; they are signalled as a process group so that helper children die with them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil  # type: ignore[import-untyped]

# Children spawned by this interpreter. Keeping the Popen objects alive stops Python from
# warning "subprocess is still running" when they are garbage collected, and lets us reap
# them: a dead child of a long-lived parent (pytest) stays a zombie, which looks alive.
_children: dict[int, subprocess.Popen[bytes]] = {}


def spawn(
    argv: Sequence[str],
    log: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start `argv` detached with stdout and stderr appended to `log`; return its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: the service's own logger may write to the same file; appends interleave
    # by line instead of overwriting each other.
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - argv comes from our own callers, no shell
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
    _children[proc.pid] = proc
    return proc.pid


def live_process(pid: int) -> psutil.Process | None:
    """The process `pid` if it is running (zombies count as dead and are reaped)."""
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        del _children[pid]
        return None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            # Reap it if it is our child; otherwise its parent (or init) will.
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            return None
        return proc
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return None


def cmdline_of(proc: psutil.Process) -> list[str]:
    try:
        return list(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return []


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = pid_file.with_suffix(".pid.tmp")
    tmp.write_text(f"{pid}\n")
    tmp.replace(pid_file)


def remove_pid(pid_file: Path) -> None:
    pid_file.unlink(missing_ok=True)


def signal_group(pid: int, sig: signal.Signals) -> None:
    """Send `sig` to the process group `pid` leads, or to `pid` alone if it leads none.

    Safe against pid reuse: Linux does not hand out a pid while a process group of that
    number exists, so group `pid` can only be the one our process started.
    """
    try:
        os.killpg(pid, sig)
        return
    except ProcessLookupError:
        pass  # no such group: `pid` was not started as a session leader
    except PermissionError:
        pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def wait_gone(pid: int, timeout: float) -> bool:
    """Wait until `pid` has exited; True if it did within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while live_process(pid) is not None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _kill_leftovers(pid: int) -> None:
    # Children that outlived their group leader would keep ports and files open.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def stop_pid(pid: int, timeout: float) -> None:
    """SIGTERM the process group, wait up to `timeout`, then SIGKILL it."""
    if live_process(pid) is not None:
        signal_group(pid, signal.SIGTERM)
        if not wait_gone(pid, timeout):
            signal_group(pid, signal.SIGKILL)
            wait_gone(pid, 10.0)
    _kill_leftovers(pid)


def kill_pid(pid: int, timeout: float = 10.0) -> None:
    """SIGKILL the process group and wait for the leader to disappear."""
    signal_group(pid, signal.SIGKILL)
    wait_gone(pid, timeout)
    # A process that is not our child stays a zombie until init reaps it (about a second
    # here). A zombie still answers kill(pid, 0), which PostgreSQL's lock files check, so
    # return only once it is truly gone: a fault test's next step then sees a clean slate.
    deadline = time.monotonic() + 5.0
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
