"""The soak: the distributed mode under a steady workload for ten minutes or more, with
the resident memory of every process sampled from /proc every 15 seconds.

Memory must stay flat: after a warm-up (the first three minutes, while caches, pools and
the interpreter's arenas fill), no Trellis process may grow by more than GROWTH_BOUND_MIB
or GROWTH_BOUND_SHARE of its size, whichever is larger. Growth is the trend, a least
squares line through every sample after the warm-up, from its first sample to its last:
a leak is a slope, while work in flight (identity hashing a password holds 64 MiB for a
moment) makes single samples jump either way and averages out. The lowest sample of each
half and the peak are reported beside it. The broker (a JVM, whose resident size follows
its heap up to -Xmx) is sampled and reported, not bound.

Results: tests/faults/results/soak.json and soak.md (the last run; commit them when
they matter, as bench/results).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults.harness import FaultStack
from tests.faults.invariants import check_everything
from tests.faults.suite import wait_until_settled
from tests.faults.workload import Workload

SAMPLE_SECONDS = 15.0
WARM_UP_SECONDS = 180.0
MIN_POINTS = 8
GROWTH_BOUND_MIB = 24.0
GROWTH_BOUND_SHARE = 0.15
NOT_BOUND = frozenset({"kafka"})
RESULTS = Path(__file__).parent / "results"
MIB = 1024 * 1024


@dataclass
class Sample:
    seconds: float
    commands: int
    rss_mib: dict[str, float]


@dataclass
class Soak:
    stack: FaultStack
    minutes: float
    rate: float = 8.0
    concurrency: int = 12
    samples: list[Sample] = field(default_factory=list)

    async def run(self) -> dict[str, Any]:
        workload = Workload(self.stack.gateway_url, rate=self.rate, concurrency=self.concurrency)
        stopping = asyncio.Event()
        started = time.monotonic()
        load = asyncio.create_task(workload.run(stopping), name="soak workload")
        try:
            while time.monotonic() - started < self.minutes * 60:
                sizes = await asyncio.to_thread(self.stack.rss_bytes)
                rss = {name: round(size / MIB, 1) for name, size in sorted(sizes.items())}
                self.samples.append(Sample(round(time.monotonic() - started, 1), workload.commands, rss))
                if load.done():
                    break  # the workload failed: its exception surfaces below
                await asyncio.sleep(SAMPLE_SECONDS)
        finally:
            stopping.set()
            loaded_seconds = time.monotonic() - started
            await load
        owed = await wait_until_settled(self.stack)
        findings = await check_everything(self.stack.database_url, self.stack.bootstrap, workload, [], [])
        findings.add("the system came to rest after the soak",
                     [f"{w} still owes {n}" for w, n in owed.items()])
        growth = memory_growth(self.samples)
        return {
            "minutes": self.minutes,
            "rate_per_second": self.rate,
            "commands": workload.commands,
            "commands_per_second": round(workload.commands / loaded_seconds, 2),
            "attempts_per_second": round(workload.attempts / loaded_seconds, 2),
            "failed_attempts": dict(workload.failed_attempts),
            "sample_seconds": SAMPLE_SECONDS,
            "warm_up_seconds": WARM_UP_SECONDS,
            "bound": {"mib": GROWTH_BOUND_MIB, "share": GROWTH_BOUND_SHARE, "not_bound": sorted(NOT_BOUND)},
            "growth": growth,
            "too_much_growth": sorted(name for name, g in growth.items() if not g["within_bound"]),
            "invariants": [{"name": c.name, "holds": c.holds, "counted": c.counted, "problems": c.problems}
                           for c in findings.checks],
            "samples": [{"seconds": s.seconds, "commands": s.commands, "rss_mib": s.rss_mib}
                        for s in self.samples],
        }


def memory_growth(samples: list[Sample]) -> dict[str, dict[str, Any]]:
    growth: dict[str, dict[str, Any]] = {}
    for name in sorted({name for s in samples for name in s.rss_mib}):
        every = [(s.seconds, s.rss_mib[name]) for s in samples if name in s.rss_mib]
        points = [(t, mib) for t, mib in every if t >= WARM_UP_SECONDS]
        if len(points) < MIN_POINTS:
            continue
        slope, intercept = _least_squares(points)
        start, end = intercept + slope * points[0][0], intercept + slope * points[-1][0]
        half = len(points) // 2
        bound = max(GROWTH_BOUND_MIB, GROWTH_BOUND_SHARE * start)
        growth[name] = {
            "first_sample_mib": every[0][1],
            "trend_start_mib": round(start, 1), "trend_end_mib": round(end, 1),
            "growth_mib": round(end - start, 1), "growth_share": round((end - start) / start, 3),
            "lowest_first_half_mib": min(mib for _, mib in points[:half]),
            "lowest_second_half_mib": min(mib for _, mib in points[half:]),
            "peak_mib": max(mib for _, mib in points),
            "bound_mib": round(bound, 1), "bound_applies": name not in NOT_BOUND,
            "within_bound": name in NOT_BOUND or end - start <= bound,
        }
    return growth


def _least_squares(points: list[tuple[float, float]]) -> tuple[float, float]:
    """(slope, intercept) of the line closest to the points."""
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    slope = sum((t - mean_t) * (y - mean_y) for t, y in points) / spread if spread else 0.0
    return slope, mean_y - slope * mean_t


def write_results(result: dict[str, Any], directory: Path = RESULTS) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "soak.json"
    data.write_text(json.dumps(result, indent=2) + "\n")
    table = directory / "soak.md"
    table.write_text(markdown(result))
    return data, table


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "# Soak: memory per process under a steady workload",
        "",
        f"{result['minutes']} minutes at {result['rate_per_second']} commands/s offered "
        f"({result['attempts_per_second']}/s sent, {result['commands']} acknowledged: "
        f"{result['commands_per_second']}/s), resident memory sampled "
        f"every {result['sample_seconds']:.0f} s from /proc. Growth is the least squares trend through "
        f"the samples after a {result['warm_up_seconds']:.0f} s warm-up, from its first sample to its "
        f"last; bound: {result['bound']['mib']:.0f} MiB or {result['bound']['share']:.0%} of the process, "
        f"whichever is larger (not applied to {', '.join(result['bound']['not_bound'])}).",
        "",
        "| process | first sample MiB | trend after warm-up MiB | growth MiB | growth "
        "| lowest, 1st / 2nd half MiB | peak MiB | bound MiB | ok |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, g in result["growth"].items():
        ok = ("yes" if g["within_bound"] else "NO") if g["bound_applies"] else "(not bound)"
        lines.append(f"| {name} | {g['first_sample_mib']} | {g['trend_start_mib']} -> {g['trend_end_mib']} "
                     f"| {g['growth_mib']:+} | {g['growth_share']:+.1%} "
                     f"| {g['lowest_first_half_mib']} / {g['lowest_second_half_mib']} | {g['peak_mib']} "
                     f"| {g['bound_mib']} | {ok} |")
    holding = sum(1 for c in result["invariants"] if c["holds"])
    lines += ["", f"Invariants after the soak: {holding}/{len(result['invariants'])} hold.", ""]
    return "\n".join(lines)
