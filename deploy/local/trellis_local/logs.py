"""Service logs: a marker line per start, and the tail of a log for error messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

# Logs are appended across restarts; this prefix marks where each start begins.
START_MARKER = "=== trellis_local starting"


def mark_start(log: Path, name: str, argv: Sequence[str]) -> None:
    """Append a line that separates this start from earlier runs in the same log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with log.open("a") as out:
        out.write(f"{START_MARKER} {name} at {stamp}: {' '.join(argv)}\n")


def tail(path: Path, lines: int = 30) -> str:
    """The last `lines` lines of a log, no further back than the latest start marker."""
    try:
        with path.open("rb") as handle:
            # Logs grow large; the last 64 KiB hold plenty of lines.
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 65536))
            data = handle.read()
    except OSError:
        return ""
    text_lines = data.decode("utf-8", errors="replace").splitlines()
    starts = [i for i, line in enumerate(text_lines) if line.startswith(START_MARKER)]
    if starts:
        text_lines = text_lines[starts[-1]:]
    return "\n".join(text_lines[-lines:])


def with_log_tail(message: str, log: Path, lines: int = 30) -> str:
    """`message` followed by the tail of `log`, indented so it reads as a quote."""
    excerpt = tail(log, lines)
    if not excerpt:
        return f"{message}\n(log {log} is empty or missing)"
    quoted = "\n".join(f"    {line}" for line in excerpt.splitlines())
    return f"{message}\nlast lines of {log}:\n{quoted}"
