"""Hours logged on a project, by month of the days worked: totals only, never who or why."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import MonthHours, TimeSummary
from trellis_portal.views.client.snapshot import ProjectSnapshot

HOURS = Decimal("0.01")


def time_summary(snapshot: ProjectSnapshot) -> TimeSummary:
    minutes_by_month: dict[str, int] = defaultdict(int)
    for entry in snapshot.all(kinds.TIME_ENTRY).values():
        minutes_by_month[str(entry["worked_on"])[:7]] += int(entry["minutes"])
    total = sum(minutes_by_month.values())
    return TimeSummary(
        total_hours=_hours(total),
        by_month=[MonthHours(month=month, hours=_hours(minutes))
                  for month, minutes in sorted(minutes_by_month.items())],
    )


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HOURS)
