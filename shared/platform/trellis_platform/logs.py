"""Structured logs: one JSON object per line, with the trace id when there is one, and
a transport's repeated complaints held back."""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from opentelemetry import trace


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
            entry["span_id"] = format(span_context.span_id, "016x")
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


@dataclass
class _Run:
    since: float
    passed: int = 1
    held: int = 0


class RepeatsHeldBack(logging.Filter):
    """The first few of a run of alike records in a window, then none until the window
    ends; the next one to pass says how many alike were held back.

    While Kafka is down, aiokafka complains about every connection attempt of every client
    it runs: 4,000 lines per consumer process in an 18-second outage (the fault suite), the
    same few sentences with another address or error number. Alike means the same logger,
    level and message template, whatever the arguments; other records pass untouched, and
    so do the first ``burst`` of a window (a rebalance says a few things once, and the
    fault suite reads them).
    """

    MAX_TEMPLATES = 1_000

    def __init__(self, loggers: tuple[str, ...], *, window_seconds: float = 10.0, burst: int = 3,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._loggers = loggers
        self._window = window_seconds
        self._burst = burst
        self._clock = clock
        self._runs: dict[tuple[str, int, str], _Run] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self._loggers):
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        with self._lock:
            run = self._runs.get(key)
            if run is not None and now - run.since < self._window:
                if run.passed < self._burst:
                    run.passed += 1
                    return True
                run.held += 1
                return False
            if len(self._runs) >= self.MAX_TEMPLATES:
                self._runs.clear()
            self._runs[key] = _Run(since=now)
        if run is not None and run.held:
            record.msg = f"{record.msg} [{run.held} alike held back in the last {now - run.since:.0f}s]"
        return True


# Transports whose retries repeat themselves; Trellis's own loggers back off themselves.
NOISY_WHEN_RETRYING = ("aiokafka",)


def configure_logging(service_name: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RepeatsHeldBack(NOISY_WHEN_RETRYING))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("TRELLIS_LOG_LEVEL", "INFO").upper())
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger(service_name).debug("logging configured")
