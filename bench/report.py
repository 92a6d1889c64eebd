"""Writing a benchmark's figures: JSON per benchmark, each figure beside its same-run baseline."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Figure:
    """One measurement and the baseline measured in the same run on the same machine.

    ``ratio`` is value / baseline for rates (higher is better) and baseline / value for
    durations, so above 1 always means "better than the baseline".
    """

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float
    higher_is_better: bool
    conditions: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        if self.higher_is_better:
            return self.value / self.baseline_value if self.baseline_value else 0.0
        return self.baseline_value / self.value if self.value else 0.0


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def write_result(benchmark: str, figures: list[Figure], notes: str = "") -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{benchmark}.json"
    document = {
        "benchmark": benchmark,
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": machine(),
        "notes": notes,
        "figures": [{**asdict(f), "ratio": round(f.ratio, 4)} for f in figures],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
