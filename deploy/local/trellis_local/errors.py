"""The one exception type local infrastructure raises, carrying the log to read."""

from __future__ import annotations

from pathlib import Path


class LocalInfraError(RuntimeError):
    """A local service could not be started, stopped or reached.

    `log` names the file that explains why, so the CLI (and a failing test) can point a
    developer straight at it.
    """

    def __init__(self, message: str, log: Path | None = None) -> None:
        super().__init__(message)
        self.log = log
