"""Command line: python -m trellis_local {postgres|kafka|infra} {start|stop|status|kill} | env.

Exit codes: 0 success (for status and env: everything asked about is running), 1 an
error (message and the log to read on stderr), 3 not running.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from trellis_local.errors import LocalInfraError
from trellis_local.infra_env import infra_env, write_infra_env
from trellis_local.kafka import LocalKafka
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.postgres import LocalPostgres

NOT_RUNNING = 3
ACTIONS = ("start", "stop", "status", "kill")


class Service(Protocol):
    def start(self) -> str: ...
    def stop(self) -> None: ...
    def kill(self) -> None: ...
    def status(self) -> dict[str, Any]: ...


def _services(target: str, paths: LocalPaths) -> list[Service]:
    postgres = LocalPostgres(paths)
    kafka = LocalKafka(paths)
    if target == "postgres":
        return [postgres]
    if target == "kafka":
        return [kafka]
    return [postgres, kafka]


def _print_table(statuses: list[dict[str, Any]]) -> None:
    rows = [("SERVICE", "STATE", "PID", "ADDRESS", "LOG")]
    for status in statuses:
        address = status.get("dsn") or status.get("bootstrap") or "-"
        rows.append(
            (
                str(status["service"]),
                "running" if status["running"] else "stopped",
                str(status["pid"] or "-"),
                str(address),
                str(status["log"]),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        print("  ".join([*cells, row[-1]]))


def _run(target: str, action: str, paths: LocalPaths) -> int:
    services = _services(target, paths)
    if action == "start":
        for service in services:
            began = time.monotonic()
            address = service.start()
            name = service.status()["service"]
            print(f"{name} ready at {address} ({time.monotonic() - began:.1f}s)", file=sys.stderr)
        env_file = write_infra_env(paths)
        print(f"wrote {env_file}", file=sys.stderr)
    elif action in ("stop", "kill"):
        # Kafka before PostgreSQL: the reverse of the start order.
        for service in reversed(services):
            if action == "stop":
                service.stop()
            else:
                service.kill()
        write_infra_env(paths)
    statuses = [service.status() for service in services]
    _print_table(statuses)
    if action in ("start", "status") and not all(status["running"] for status in statuses):
        return NOT_RUNNING
    return 0


def _env(paths: LocalPaths) -> int:
    env = infra_env(paths)
    for key, value in env.items():
        print(f"{key}={value}")
    return 0 if len(env) == 2 else NOT_RUNNING


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trellis_local",
        description="Start, stop and inspect local PostgreSQL and Kafka for development.",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="state directory (default: $TRELLIS_LOCAL_DIR or <repo>/.local)",
    )
    commands = parser.add_subparsers(dest="target", required=True)
    for target, help_text in (
        ("postgres", "the PostgreSQL server"),
        ("kafka", "the Kafka broker"),
        ("infra", "PostgreSQL and Kafka together"),
    ):
        sub = commands.add_parser(target, help=help_text)
        sub.add_argument("action", choices=ACTIONS)
    commands.add_parser("env", help="print TRELLIS_DATABASE_URL and TRELLIS_KAFKA_BOOTSTRAP")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    paths = local_paths(args.state_dir)
    try:
        if args.target == "env":
            return _env(paths)
        return _run(args.target, args.action, paths)
    except LocalInfraError as err:
        print(f"error: {err}", file=sys.stderr)
        if err.log is not None:
            print(f"see the log: {err.log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
