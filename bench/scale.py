"""6. Scale: the history benchmarks again at 10x data, to show how cost grows with size.

The event store of the 1x benchmarks (1,000 projects, about 104,000 events) grows by
9,000 projects to 10,000 projects and about 1,040,000 events (COPY, as bench.seed
describes). Then, on that store and in the same run:
- the relay works through the new 936,000 events (vs raw production, as in 3.);
- the portal's read models are rebuilt from the whole planning topic (vs raw consume, 4.);
- the portal view and planning's reads answer under load (vs the bare endpoint, 5.);
- project creation at 16 clients on the 10x store (vs raw commits, 1.; at 1x too, on the
  1x store, for the comparison).
Each of these is also compared with its own 1x figure ("10x vs 1x": 1.0 means size costs
nothing), and the memory of every process (RSS; PostgreSQL as PSS) is reported.
The relay and the rebuild stop after a time budget (to keep `make bench` under 20
minutes on two cores); their figure is then the rate over what they did, and
``complete`` says so.

Run: ``uv run python -m bench.scale`` (runs the 1x history benchmarks first).
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench import commands, reads, rebuild, relay
from bench.auth import Issuer
from bench.history import History, add_history, seeded_store
from bench.infra import Infra, infrastructure
from bench.raw_postgres import create_raw_table
from bench.report import Figure, write_result
from bench.services import BARE_API, PLANNING_API, Services
from bench.workload import Tenant

PROJECTS_1X = 1_000
PROJECTS_10X = 10_000
RELAY_BUDGET_SECONDS = 150
REBUILD_BUDGET_SECONDS = 150
SUFFIX = " at 10x"


def history_1x(infra: Infra, issuer: Issuer) -> tuple[History, dict[str, list[Figure]]]:
    """The 1x history benchmarks (relay, rebuild, reads) on a fresh store; their figures."""
    history = seeded_store(infra, "history", PROJECTS_1X)
    print(f"  seeded {history.events} events ({history.projects} projects) in {history.seed_seconds:.1f}s",
          flush=True)
    found: dict[str, list[Figure]] = {}
    found["relay"], seen = relay.measure(infra, issuer, history, label="")
    print(f"  relay: {seen}", flush=True)
    found["rebuild"], seen = rebuild.measure(infra, issuer, history, label="")
    print(f"  rebuild: {seen}", flush=True)
    found["reads"], _ = reads.measure(infra, issuer, history, label="")
    found["commands"] = commands_on(infra, issuer, history, "")
    return history, found


def growth(at_10x: list[Figure], at_1x: list[Figure]) -> list[Figure]:
    """Each 10x figure against the same figure at 1x."""
    by_name = {f.name: f for f in at_1x}
    compared = []
    for figure in at_10x:
        base = by_name.get(figure.name.replace(SUFFIX, ""))
        if base is None:
            continue
        compared.append(Figure(f"{figure.name} vs 1x", figure.value, figure.unit, f"{base.name} (1x)",
                               base.value, figure.higher_is_better, figure.conditions))
    return compared


def commands_on(infra: Infra, issuer: Issuer, history: History, suffix: str) -> list[Figure]:
    """Project creation at 16 clients on the store of ``history``, with its baselines."""
    topic, state = commands.stored_payload(history.database_url)
    create_raw_table(history.database_url)
    with Services(infra, issuer, history.database_url) as services:
        services.start(PLANNING_API, BARE_API)
        figures = asyncio.run(commands.measure(services, Tenant.new(issuer), topic, state, levels=(16,),
                                               seconds=commands.SECONDS))
        memory = services.memory()
    renamed = []
    for figure in figures:
        figure.conditions["memory_mib"] = memory
        figure.conditions["stored_events"] = history.events
        name = figure.name.replace("create project over HTTP", f"create project over HTTP{suffix}")
        renamed.append(Figure(name, figure.value, figure.unit, figure.baseline_name, figure.baseline_value,
                              figure.higher_is_better, figure.conditions))
    return renamed


def at_10x(infra: Infra, issuer: Issuer, history: History) -> tuple[list[Figure], dict[str, Any]]:
    grown = add_history(history.database_url, PROJECTS_10X - history.projects)
    history = History(history.database_url, PROJECTS_10X, history.events + grown.events, grown.seed_seconds)
    print(f"  grew the store to {history.events} events ({history.projects} projects) in "
          f"{grown.seed_seconds:.1f}s", flush=True)
    figures: list[Figure] = []
    relayed, seen_relay = relay.measure(infra, issuer, history, label=SUFFIX, timeout=RELAY_BUDGET_SECONDS,
                                        fresh_topic=False)
    print(f"  relay{SUFFIX}: {seen_relay}", flush=True)
    rebuilt, seen_rebuild = rebuild.measure(infra, issuer, history, label=SUFFIX,
                                            timeout=REBUILD_BUDGET_SECONDS)
    print(f"  rebuild{SUFFIX}: {seen_rebuild}", flush=True)
    read, _ = reads.measure(infra, issuer, history, label=SUFFIX)
    figures = [*relayed, *rebuilt, *read, *commands_on(infra, issuer, history, SUFFIX)]
    memory = infra.memory()
    for figure in figures:
        figure.conditions["infrastructure_memory_mib"] = memory
    return figures, {"relay": seen_relay, "rebuild": seen_rebuild, "infrastructure_memory_mib": memory}


def run(infra: Infra, issuer: Issuer, *, write_1x: bool) -> None:
    """The 1x history benchmarks, then 10x; writes scale.json (and the 1x ones if asked)."""
    history, found = history_1x(infra, issuer)
    if write_1x:
        relay.write(found["relay"])
        rebuild.write(found["rebuild"])
        reads.write(found["reads"])
    ten, _ = at_10x(infra, issuer, history)
    one = [f for figures in found.values() for f in figures]
    path = write_result("scale", [*ten, *growth(ten, one)], notes=(
        "10,000 projects and about 1,040,000 stored events. '10x vs 1x' rows compare a figure with "
        "itself at 1,000 projects: 1.0 means size costs nothing. The relay and rebuild run under a "
        "time budget; 'complete' says whether they finished."))
    print(f"wrote {path}")


def main() -> None:
    with infrastructure() as infra, Issuer() as issuer:
        run(infra, issuer, write_1x=False)


if __name__ == "__main__":
    main()
