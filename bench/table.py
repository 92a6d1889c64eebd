"""The results as one Markdown page: bench/results/README.md, from every results/*.json.

Each row is one figure: its value, the baseline measured in the same run, the ratio
(above 1 is better than the baseline, whatever the unit) and the conditions it was
measured under. Results written by other benchmarks (scheduling, ledger) are included
as they are.

Run: ``uv run python -m bench.table``.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.report import RESULTS_DIR

ORDER = ("commands", "propagation", "relay", "rebuild", "reads", "scale", "scheduling", "ledger")
TITLES = {
    "commands": "1. Command throughput and latency",
    "propagation": "2. Propagation lag (commit -> portal read model)",
    "relay": "3. Relay throughput (event store -> Kafka)",
    "rebuild": "4. Replay and rebuild of a read model",
    "reads": "5. Read latency under load",
    "scale": "6. Scale: 10x data (10,000 projects, ~1,040,000 events)",
    "scheduling": "Planning: full reschedule",
    "ledger": "Budget: cost ledger consumer",
}
# Conditions worth a column; the rest stays in the JSON.
SHOWN = ("concurrency", "rate_per_s", "projects", "stored_events", "topic_events", "kafka_messages",
         "message_bytes_avg", "event_bytes", "complete", "kanban_board")


def _number(value: float) -> str:
    if value != value:  # NaN
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def _conditions(conditions: dict[str, Any]) -> str:
    parts = [f"{k}={conditions[k]}" for k in SHOWN if k in conditions]
    memory = conditions.get("memory_mib")
    if isinstance(memory, dict) and memory:
        parts.append("RSS " + ", ".join(f"{k} {v:.0f} MiB" for k, v in memory.items()))
    return "; ".join(str(p) for p in parts)


def load_results(directory: Path = RESULTS_DIR) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(directory.glob("*.json")):
        try:
            document = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(document, dict) and "figures" in document:
            found[path.stem] = document
    return found


def render(results: dict[str, dict[str, Any]]) -> str:
    lines = ["# Trellis benchmark results", "",
             "Written by `make bench` (bench/table.py) from the JSON files beside this page. "
             "How to read them: see the Benchmarks section of the repository's README.", ""]
    names = [n for n in ORDER if n in results] + sorted(n for n in results if n not in ORDER)
    for name in names:
        document = results[name]
        machine = document.get("machine", {})
        measured = document.get("measured_at", "")
        with contextlib.suppress(ValueError):
            measured = datetime.fromisoformat(measured).strftime("%Y-%m-%d %H:%M UTC")
        lines += [f"## {TITLES.get(name, name)}", "",
                  f"`{name}.json`, measured {measured} on {machine.get('cores', '?')} cores "
                  f"(Python {machine.get('python', '?')}).", ""]
        if document.get("notes"):
            lines += [str(document["notes"]), ""]
        lines += ["| figure | value | baseline (same run) | ratio | conditions |", "|---|---|---|---|---|"]
        for figure in document["figures"]:
            unit = figure.get("unit", "")
            ratio = figure.get("ratio", 0.0)
            lines.append(
                f"| {figure['name']} | {_number(figure['value'])} {unit} | "
                f"{figure['baseline_name']}: {_number(figure['baseline_value'])} {unit} | "
                f"{ratio:.2f} | {_conditions(figure.get('conditions', {}))} |")
        lines.append("")
    return "\n".join(lines)


# Written by hand (what a profile showed, what changed, the figures before and after):
# kept in its own file so that regenerating the tables keeps it, and shown after them.
NOTES_FILE = "profile-and-fixes.md"


def write_table(directory: Path = RESULTS_DIR) -> Path:
    path = directory / "README.md"
    page = render(load_results(directory))
    notes = directory / NOTES_FILE
    if notes.exists():
        page = page.rstrip("\n") + "\n\n" + notes.read_text()
    path.write_text(page)
    return path


def main() -> None:
    print(f"wrote {write_table()}")


if __name__ == "__main__":
    main()
