"""Percentiles and the memory of processes, as the benchmarks report them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import psutil  # type: ignore[import-untyped]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100): a value that was actually observed."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def rss_mib(pids: Iterable[int]) -> float:
    """Resident memory of these processes and their children, in MiB."""
    total = 0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            family = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for member in family:
            try:
                total += member.memory_info().rss
            except psutil.NoSuchProcess:
                continue
    return round(total / 1_048_576, 1)


def pss_mib(pids: Iterable[int]) -> float:
    """Proportional memory of these processes and their children (shared pages split among
    them), in MiB: PostgreSQL's backends share its buffers, which RSS would count each time."""
    total = 0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            family = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for member in family:
            try:
                total += member.memory_full_info().pss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
    return round(total / 1_048_576, 1)
