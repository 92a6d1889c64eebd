"""Where local infrastructure keeps its state: data, logs, pid files and chosen ports.

Everything lives under one directory so that a developer can wipe it in one go and so
that tests can point a whole stack at a temporary directory through TRELLIS_LOCAL_DIR.
Paths are resolved when asked for, not at import, so a test's monkeypatched environment
applies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

STATE_DIR_ENV = "TRELLIS_LOCAL_DIR"


def _find_repo_root() -> Path:
    # The project is installed editable, so this file sits at
    # <repo>/deploy/local/trellis_local/paths.py. Fall back to walking up from the working
    # directory in case someone installs a non-editable wheel.
    marker = Path("deploy") / "local" / "kafka" / "pom.xml"
    here = Path(__file__).resolve().parents[3]
    if (here / marker).is_file():
        return here
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if (candidate / marker).is_file():
            return candidate
    return here


REPO_ROOT = _find_repo_root()
KAFKA_PROJECT_DIR = REPO_ROOT / "deploy" / "local" / "kafka"
KAFKA_POM = KAFKA_PROJECT_DIR / "pom.xml"
KAFKA_LOG4J_CONFIG = KAFKA_PROJECT_DIR / "log4j2.xml"


@dataclass(frozen=True)
class LocalPaths:
    """The layout of one state directory."""

    root: Path

    @property
    def postgres_dir(self) -> Path:
        return self.root / "postgres"

    @property
    def postgres_data(self) -> Path:
        return self.postgres_dir / "data"

    @property
    def kafka_dir(self) -> Path:
        return self.root / "kafka"

    @property
    def kafka_data(self) -> Path:
        return self.kafka_dir / "data"

    @property
    def kafka_libs(self) -> Path:
        return self.kafka_dir / "libs"

    @property
    def kafka_tmp(self) -> Path:
        # java.io.tmpdir: zstd/snappy unpack their native libraries here.
        return self.kafka_dir / "tmp"

    @property
    def kafka_properties(self) -> Path:
        return self.kafka_dir / "server.properties"

    @property
    def kafka_format_record(self) -> Path:
        return self.kafka_dir / "formatted.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def ports_file(self) -> Path:
        return self.root / "ports.json"

    @property
    def infra_env(self) -> Path:
        return self.root / "infra.env"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def pid_file(self, name: str) -> Path:
        return self.run / f"{name}.pid"

    def ensure(self) -> None:
        """Create the directories every service needs (data dirs are made by their owners)."""
        for directory in (self.root, self.logs, self.run, self.postgres_dir, self.kafka_dir):
            directory.mkdir(parents=True, exist_ok=True)


def local_paths(root: Path | str | None = None) -> LocalPaths:
    """The state directory: `root`, else $TRELLIS_LOCAL_DIR, else <repo>/.local."""
    if root is None:
        from_env = os.environ.get(STATE_DIR_ENV)
        root = Path(from_env) if from_env else REPO_ROOT / ".local"
    return LocalPaths(Path(root).expanduser().resolve())
