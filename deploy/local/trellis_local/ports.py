"""TCP ports for local services: chosen once per state directory and then kept.

They must not change: Kafka writes its controller address into the metadata when the
storage is formatted, and developers keep DSNs in their shells and IDEs.
"""

from __future__ import annotations

import errno
import json
import random
import socket
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from trellis_local.errors import LocalInfraError
from trellis_local.locks import file_lock
from trellis_local.paths import LocalPaths

HOST = "127.0.0.1"

# Ports are drawn below the kernel's ephemeral range, so that an outgoing connection of
# some unrelated program cannot be sitting on one of them when the service starts.
_FALLBACK_EPHEMERAL_START = 32768
_LOWEST_PORT = 20000


def _ephemeral_start() -> int:
    try:
        text = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text()
        return int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return _FALLBACK_EPHEMERAL_START


def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether a server could bind host:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Servers (PostgreSQL, the JVM) set SO_REUSEADDR, so connections of a previous
        # run lingering in TIME_WAIT do not block them; mirror that here.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            if err.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _pick_free_port(taken: set[int]) -> int:
    high = max(_ephemeral_start() - 1, _LOWEST_PORT + 1000)
    candidates = list(range(_LOWEST_PORT, high))
    random.shuffle(candidates)
    for port in candidates:
        if port not in taken and port_is_free(port):
            return port
    raise LocalInfraError(f"no free TCP port between {_LOWEST_PORT} and {high} on {HOST}")


def _load(paths: LocalPaths) -> dict[str, int]:
    try:
        raw = json.loads(paths.ports_file.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise LocalInfraError(f"{paths.ports_file} is unreadable ({err}); fix or delete it") from err
    return {str(name): int(port) for name, port in raw.items()}


def stored_port(paths: LocalPaths, name: str) -> int | None:
    """The port kept for `name`, or None if none was chosen yet."""
    return _load(paths).get(name)


def assigned_port(paths: LocalPaths, name: str) -> int:
    """The port kept for `name` in ports.json, choosing and saving one the first time."""
    # Two CLIs started at once must not pick different ports for the same service.
    with file_lock(paths.root / ".ports.lock"):
        ports = _load(paths)
        if name not in ports:
            ports[name] = _pick_free_port(set(ports.values()))
            tmp = paths.ports_file.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(ports, indent=2, sort_keys=True) + "\n")
            tmp.replace(paths.ports_file)
        return ports[name]


def port_owner(port: int) -> str | None:
    """A short description of the process listening on `port`, if psutil can tell."""
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.AccessDenied, OSError):
        return None
    for conn in connections:
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
            if conn.pid is None:
                return "a process psutil cannot identify"
            try:
                proc = psutil.Process(conn.pid)
                cmdline = " ".join(proc.cmdline())
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                return f"pid {conn.pid}"
            if len(cmdline) > 160:
                cmdline = cmdline[:157] + "..."
            return f"pid {conn.pid} ({cmdline})"
    return None


def require_free(port: int, service: str, paths: LocalPaths, grace: float = 2.0) -> None:
    """Fail clearly when the kept port of `service` is taken by some other process.

    A server killed a moment ago can hold its listening socket for a little while after
    the process is gone (the kernel closes it asynchronously), hence the grace period.
    """
    deadline = time.monotonic() + grace
    while not port_is_free(port):
        if time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    else:
        return
    owner = port_owner(port) or "an unknown process"
    raise LocalInfraError(
        f"cannot start {service}: its port {port} (kept in {paths.ports_file}) is taken by "
        f"{owner}. Stop that process, or give {service} another port by editing "
        f"{paths.ports_file}"
        + (" and deleting the Kafka data dir (its metadata stores the controller port)"
           if service == "kafka controller" else "")
        + "."
    )
