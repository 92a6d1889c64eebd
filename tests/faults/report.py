"""The fault suite's report: faults by kind, commands, events, invariants; printed and kept
as JSON under the state directory (``<state>/faults/report-<mode>.json``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tests.faults.injectors import Injectors
from tests.faults.invariants import Findings
from tests.faults.workload import Workload, count_by


def build_report(*, mode: str, seed: int, seconds: float, workload: Workload, injectors: Injectors,
                 findings: Findings) -> dict[str, Any]:
    stored = findings.facts.get("stored_events_by_service", {})
    return {
        "mode": mode,
        "seed": seed,
        "seconds": round(seconds, 1),
        "faults_injected": len(injectors.injected),
        "faults_by_kind": injectors.by_kind(),
        "faults": [asdict(i) | {"at": round(i.at, 1), "seconds": round(i.seconds, 1)}
                   for i in injectors.injected],
        "commands": {
            "acknowledged": workload.commands,
            "by_kind": count_by(workload.acknowledged, lambda a: a.kind),
            "attempts": workload.attempts,
            "failed_attempts": dict(sorted(workload.failed_attempts.items())),
            "gave_up": dict(workload.gave_up),
            "recovered_after_unknown_fate": dict(workload.recovered),
            "rejected": workload.rejected[:20],
            "scenarios": len(workload.scenarios),
            "scenarios_finished": sum(1 for s in workload.scenarios if s.finished),
            "rate_per_second": workload.rate,
        },
        "events": {
            "stored": sum(stored.values()),
            "stored_by_service": stored,
            "integration_events_by_topic": findings.facts.get("integration_events_by_topic", {}),
            "read_model_rows": findings.facts.get("read_model_rows", {}),
        },
        "invariants_checked": len(findings.checks),
        "invariants_holding": sum(1 for c in findings.checks if c.holds),
        "invariants": [asdict(c) for c in findings.checks],
    }


def write_report(report: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"report-{report['mode']}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return path


def summary(report: dict[str, Any]) -> str:
    lines = [
        f"fault suite ({report['mode']}, seed {report['seed']}, {report['seconds']:.0f}s):",
        f"  faults injected: {report['faults_injected']}  {report['faults_by_kind']}",
        f"  commands acknowledged: {report['commands']['acknowledged']} of {report['commands']['attempts']} "
        f"attempts; scenarios {report['commands']['scenarios_finished']}/{report['commands']['scenarios']}",
        f"  events stored: {report['events']['stored']}  {report['events']['stored_by_service']}",
        f"  invariants: {report['invariants_holding']}/{report['invariants_checked']} hold",
    ]
    for check in report["invariants"]:
        mark = "ok  " if check["holds"] else "FAIL"
        lines.append(f"    {mark} {check['name']}  {check['counted']}")
        lines += [f"         - {p}" for p in check["problems"][:10]]
    return "\n".join(lines)
