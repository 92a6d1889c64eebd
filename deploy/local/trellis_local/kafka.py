"""A local single-node Kafka (KRaft, broker and controller in one JVM) from Maven jars.

No tarball: deploy/local/kafka/pom.xml names the jars and Maven copies them into
<state>/kafka/libs; the broker then runs as `java -cp 'libs/*' kafka.Kafka`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

from trellis_local import ports
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
from trellis_local.paths import KAFKA_LOG4J_CONFIG, KAFKA_POM, LocalPaths, local_paths

NAME = "kafka"
BROKER_PORT = "kafka"
CONTROLLER_PORT = "kafka_controller"
MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"
_STAMP = ".installed-from-pom.sha256"
BROKER_JVM = (
    "-Xms256m",
    "-Xmx512m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    # A broker that ran out of heap is better dead (and visible) than limping.
    "-XX:+ExitOnOutOfMemoryError",
)
# The storage tool runs for a second or two: skip the optimising JIT and G1's setup.
TOOL_JVM = ("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


class LocalKafka:
    """One Kafka node per state directory, serving PLAINTEXT on 127.0.0.1:<kept port>."""

    def __init__(
        self,
        paths: LocalPaths | None = None,
        *,
        start_timeout: float = 90.0,
        stop_timeout: float = 30.0,
    ) -> None:
        self.paths = paths or local_paths()
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout

    # -- public API ---------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.paths.kafka_data

    @property
    def log_path(self) -> Path:
        return self.paths.log(NAME)

    @property
    def bootstrap(self) -> str:
        return f"{ports.HOST}:{ports.assigned_port(self.paths, BROKER_PORT)}"

    def install(self) -> None:
        """Copy the broker's jars into <state>/kafka/libs, unless the pom did not change."""
        self.paths.ensure()
        with file_lock(self.paths.kafka_dir / ".install.lock"):
            digest = hashlib.sha256(KAFKA_POM.read_bytes()).hexdigest()
            libs = self.paths.kafka_libs
            stamp = libs / _STAMP
            if stamp.is_file() and stamp.read_text().strip() == digest and any(libs.glob("*.jar")):
                return
            mvn = shutil.which("mvn")
            if mvn is None:
                raise LocalInfraError("Maven (mvn) is not on PATH; it is needed once to fetch Kafka's jars")
            # Into a fresh directory, then swapped in: jars of an older pom left beside new
            # ones would put two versions of a class on the classpath.
            staging = self.paths.kafka_dir / "libs.staging"
            shutil.rmtree(staging, ignore_errors=True)
            argv = [
                mvn, "-q", "-B", "-f", str(KAFKA_POM),
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={staging}",
            ]
            result = subprocess.run(  # noqa: S603 - fixed argv, no shell
                argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900
            )
            if result.returncode != 0:
                output = (result.stdout + result.stderr).strip()[-4000:]
                raise LocalInfraError(f"installing Kafka's jars failed: {' '.join(argv)}\n{output}")
            (staging / _STAMP).write_text(digest + "\n")
            shutil.rmtree(libs, ignore_errors=True)
            staging.rename(libs)

    def start(self) -> str:
        """Start the broker if needed and wait until it serves metadata; return bootstrap."""
        self.paths.ensure()
        broker_port = ports.assigned_port(self.paths, BROKER_PORT)
        controller_port = ports.assigned_port(self.paths, CONTROLLER_PORT)
        proc = self._broker()
        if proc is None:
            ports.require_free(broker_port, "kafka", self.paths)
            ports.require_free(controller_port, "kafka controller", self.paths)
            self.install()
            self._write_properties(broker_port, controller_port)
            self._format_once(controller_port)
            self.paths.kafka_tmp.mkdir(parents=True, exist_ok=True)
            argv = [*self._java_command(*BROKER_JVM), MAIN_CLASS, str(self.paths.kafka_properties)]
            mark_start(self.log_path, NAME, argv)
            pid = spawn(argv, self.log_path, cwd=self.paths.kafka_dir)
            write_pid(self.paths.pid_file(NAME), pid)
        else:
            pid = proc.pid
        self._wait_ready(pid, broker_port)
        return f"{ports.HOST}:{broker_port}"

    def stop(self) -> None:
        """SIGTERM (controlled shutdown), wait up to stop_timeout, then SIGKILL."""
        proc = self._broker()
        if proc is not None:
            stop_pid(proc.pid, self.stop_timeout)
        remove_pid(self.paths.pid_file(NAME))

    def kill(self) -> None:
        """SIGKILL the broker: a crash, for fault tests."""
        proc = self._broker()
        if proc is not None:
            kill_pid(proc.pid)
        remove_pid(self.paths.pid_file(NAME))

    def status(self) -> dict[str, Any]:
        proc = self._broker()
        return {
            "service": NAME,
            "running": proc is not None,
            "pid": proc.pid if proc is not None else None,
            "bootstrap": self.bootstrap if proc is not None else None,
            "data_dir": str(self.data_dir),
            "log": str(self.log_path),
        }

    # -- internals ----------------------------------------------------------------------

    def _broker(self) -> psutil.Process | None:
        """Our broker process, if the pid file names one that is still running."""
        pid = read_pid(self.paths.pid_file(NAME))
        if pid is None:
            return None
        proc = live_process(pid)
        if proc is None:
            return None
        cmdline = cmdline_of(proc)
        # Guards against pid reuse and against a broker of another state directory.
        if MAIN_CLASS not in cmdline or str(self.paths.kafka_properties) not in cmdline:
            return None
        return proc

    def _java_command(self, *jvm_options: str) -> list[str]:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
        if java is None or not Path(java).exists():
            raise LocalInfraError("java is not on PATH (and JAVA_HOME is unset); Kafka needs Java 17+")
        return [
            java,
            *jvm_options,
            "-Djava.awt.headless=true",
            # zstd and snappy unpack native libraries into java.io.tmpdir.
            f"-Djava.io.tmpdir={self.paths.kafka_tmp}",
            f"-Dlog4j2.configurationFile={KAFKA_LOG4J_CONFIG}",
            f"-Dtrellis.kafka.logFile={self.log_path}",
            f"-Dkafka.logs.dir={self.paths.logs}",
            "-cp",
            # The JVM expands a trailing '*' in a classpath entry itself; no shell needed.
            str(self.paths.kafka_libs / "*"),
        ]

    def _write_properties(self, broker_port: int, controller_port: int) -> None:
        host = ports.HOST
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "listeners": f"PLAINTEXT://{host}:{broker_port},CONTROLLER://{host}:{controller_port}",
            "advertised.listeners": f"PLAINTEXT://{host}:{broker_port}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "controller.quorum.bootstrap.servers": f"{host}:{controller_port}",
            "log.dirs": str(self.data_dir),
            "num.partitions": "3",
            "auto.create.topics.enable": "true",
            # One node: internal topics cannot have more than one replica.
            "default.replication.factor": "1",
            "min.insync.replicas": "1",
            "offsets.topic.replication.factor": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            # Consumers join at once instead of waiting 3 s for more members.
            "group.initial.rebalance.delay.ms": "0",
            # The cleaner would otherwise allocate a 128 MiB dedupe buffer at start.
            "log.cleaner.dedupe.buffer.size": "2097152",
            # Two cores: the defaults (3 network, 8 I/O threads) only add contention.
            "num.network.threads": "2",
            "num.io.threads": "4",
        }
        text = "# Rewritten by trellis_local at every start; change the code, not this file.\n"
        text += "".join(f"{key}={value}\n" for key, value in settings.items())
        self.paths.kafka_properties.write_text(text)

    def _format_once(self, controller_port: int) -> None:
        record_path = self.paths.kafka_format_record
        if (self.data_dir / "meta.properties").exists():
            try:
                record = json.loads(record_path.read_text())
            except (OSError, ValueError):
                return  # formatted by hand or by an older layout; trust it
            if record.get("controller_port") != controller_port:
                raise LocalInfraError(
                    f"Kafka's data in {self.data_dir} was formatted for controller port "
                    f"{record.get('controller_port')}, but ports.json now says {controller_port}. "
                    f"Restore the port in {self.paths.ports_file} or delete {self.data_dir}.",
                    self.log_path,
                )
            return
        cluster_id = self._storage_tool(["random-uuid"]).strip().splitlines()[-1].strip()
        self._storage_tool(
            ["format", "--standalone", "-t", cluster_id, "-c", str(self.paths.kafka_properties)]
        )
        record_path.write_text(
            json.dumps({"cluster_id": cluster_id, "controller_port": controller_port}, indent=2) + "\n"
        )

    def _storage_tool(self, args: list[str]) -> str:
        argv = [*self._java_command(*TOOL_JVM), STORAGE_TOOL, *args]
        # A temp file rather than a pipe, like every child here: simple and never blocks.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(  # noqa: S603 - fixed argv, no shell
                argv,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=120,
                cwd=self.paths.kafka_dir,
            )
            output.seek(0)
            text = output.read()
        if result.returncode != 0:
            raise LocalInfraError(
                with_log_tail(f"Kafka storage tool failed: {' '.join(args)}\n{text.strip()}", self.log_path),
                self.log_path,
            )
        return text

    def _wait_ready(self, pid: int, broker_port: int) -> None:
        bootstrap = f"{ports.HOST}:{broker_port}"
        deadline = time.monotonic() + self.start_timeout
        last_error = "the broker port never opened"
        while time.monotonic() < deadline:
            if live_process(pid) is None:
                remove_pid(self.paths.pid_file(NAME))
                raise LocalInfraError(
                    with_log_tail("Kafka exited during start", self.log_path), self.log_path
                )
            # The PLAINTEXT listener opens only once the broker is unfenced and serving.
            if _tcp_open(ports.HOST, broker_port):
                error = _metadata_error(bootstrap)
                if error is None:
                    return
                last_error = error
            time.sleep(0.2)
        raise LocalInfraError(
            with_log_tail(
                f"Kafka did not become ready on {bootstrap} within {self.start_timeout:.0f}s "
                f"(last problem: {last_error}); it is left running, pid {pid}",
                self.log_path,
            ),
            self.log_path,
        )


def _tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _metadata_error(bootstrap: str) -> str | None:
    """None if a metadata request lists a broker, else what went wrong."""

    async def probe() -> None:
        # Imported here: the CLI's stop/status commands should not pay for aiokafka.
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
        await admin.start()
        try:
            cluster = await admin.describe_cluster()
        finally:
            await admin.close()
        if not cluster.get("brokers"):
            raise RuntimeError("metadata lists no brokers yet")

    outcome: list[str | None] = [None]

    def run() -> None:
        try:
            asyncio.run(probe())
        except Exception as err:  # any failure just means "not ready yet"
            outcome[0] = f"{type(err).__name__}: {err}"

    # asyncio.run cannot nest: a caller already inside an event loop (an async test
    # fixture) gets the probe on a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        run()
    else:
        worker = threading.Thread(target=run, name="kafka-ready-probe")
        worker.start()
        worker.join()
    return outcome[0]
