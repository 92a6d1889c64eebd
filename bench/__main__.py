"""`make bench`: every benchmark in one run on one set of infrastructure, then the table.

Order: 1. commands, 2. propagation, then the history benchmarks on one growing store:
3. relay, 4. rebuild, 5. reads at 1x (1,000 projects), 6. the same at 10x. Results go
to bench/results/<name>.json and bench/results/README.md.

Run: ``uv run python -m bench [name ...]`` (names: commands, propagation, history; none: all).
"""

from __future__ import annotations

import sys
import time

from bench import commands, propagation, scale
from bench.auth import Issuer
from bench.infra import infrastructure
from bench.table import write_table

STEPS = ("commands", "propagation", "history")


def main(argv: list[str]) -> None:
    chosen = argv or list(STEPS)
    unknown = set(chosen) - set(STEPS)
    if unknown:
        sys.exit(f"unknown benchmarks {sorted(unknown)}; choose from {STEPS}")
    started = time.monotonic()
    with infrastructure() as infra, Issuer() as issuer:
        print(f"infrastructure ready in {time.monotonic() - started:.0f}s", flush=True)
        for step in STEPS:
            if step not in chosen:
                continue
            began = time.monotonic()
            print(f"== {step}", flush=True)
            if step == "commands":
                commands.run(infra, issuer)
            elif step == "propagation":
                propagation.run(infra, issuer)
            else:
                scale.run(infra, issuer, write_1x=True)
            print(f"== {step} done in {time.monotonic() - began:.0f}s", flush=True)
    print(f"wrote {write_table()}; `make bench` took {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main(sys.argv[1:])
