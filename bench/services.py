"""Trellis's own processes for a benchmark, started as `make up` starts them.

The same ``python -m trellis_<service> <role>`` commands, supervised by trellis_local's
process helpers under the benchmark's state directory (logs in <state>/logs/). Tokens are
verified against the benchmark's issuer (bench.auth), through the documented variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

from bench.auth import Issuer
from bench.infra import Infra
from bench.stats import rss_mib
from trellis_local import ports
from trellis_local.processes import process_status, start_process, stop_process, wait_http_ok


@dataclass(frozen=True)
class Role:
    name: str
    argv: tuple[str, ...]
    http: bool


PLANNING_API = Role("planning-api", ("-m", "trellis_planning", "api"), http=True)
PLANNING_RELAY = Role("planning-relay", ("-m", "trellis_planning", "relay"), http=False)
PORTAL_API = Role("portal-api", ("-m", "trellis_portal", "api"), http=True)
PORTAL_CONSUMERS = Role("portal-consumers", ("-m", "trellis_portal", "consumers"), http=False)
BARE_API = Role("bare-api", ("-m", "bench.bare_app"), http=True)

# TRELLIS_BENCH_PROFILE=planning-relay (role names, comma-separated) samples those roles
# with py-spy while they run (bench.profile); the stacks land next to the logs.
PROFILE_ENV = "TRELLIS_BENCH_PROFILE"


class Services:
    def __init__(self, infra: Infra, issuer: Issuer, database_url: str) -> None:
        self.infra = infra
        self.issuer = issuer
        self.database_url = database_url
        self._started: list[Role] = []
        self._profilers: list[subprocess.Popen[bytes]] = []

    def port(self, role: Role) -> int:
        return ports.assigned_port(self.infra.paths, role.name)

    def url(self, role: Role) -> str:
        return f"http://127.0.0.1:{self.port(role)}"

    def env(self, role: Role) -> dict[str, str]:
        env = {
            "TRELLIS_DATABASE_URL": self.database_url,
            "TRELLIS_KAFKA_BOOTSTRAP": self.infra.bootstrap,
            "TRELLIS_LOG_LEVEL": "WARNING",
            # As deployed, every process keeps its metrics: their cost is in the figures.
            "TRELLIS_METRICS_PORT": str(ports.assigned_port(self.infra.paths, f"{role.name}-metrics")),
            **self.issuer.env(),
        }
        if role.http:
            env["TRELLIS_PORT"] = str(self.port(role))
        return env

    def argv(self, role: Role) -> list[str]:
        return [sys.executable, *role.argv]

    def start(self, *roles: Role) -> None:
        for role in roles:
            start_process(role.name, self.argv(role), self.env(role), paths=self.infra.paths)
            self._started.append(role)
            if role.name in os.environ.get(PROFILE_ENV, "").split(","):
                from bench.profile import sample

                out = self.infra.paths.logs / f"profile-{role.name}-{os.getpid()}.txt"
                self._profilers.append(sample(self.pids([role])[role.name], 900, out))
        for role in roles:
            if role.http:
                probe = "/healthz" if role is BARE_API else "/readyz"
                wait_http_ok(f"{self.url(role)}{probe}",
                             90, name=role.name, paths=self.infra.paths)

    def stop(self, *roles: Role) -> None:
        for role in roles or tuple(reversed(self._started)):
            stop_process(role.name, paths=self.infra.paths)
            if role in self._started:
                self._started.remove(role)
        for profiler in self._profilers:
            try:
                profiler.wait(30)
            except subprocess.TimeoutExpired:
                profiler.terminate()
        self._profilers.clear()

    def pids(self, roles: Iterable[Role]) -> dict[str, int]:
        found: dict[str, int] = {}
        for role in roles:
            status = process_status(role.name, paths=self.infra.paths)
            if status["running"]:
                found[role.name] = int(status["pid"])
        return found

    def memory(self) -> dict[str, float]:
        """Resident memory of each running role, in MiB."""
        return {name: rss_mib([pid]) for name, pid in self.pids(self._started).items()}

    def __enter__(self) -> Services:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
