"""A ledger source as the JSON kept in ledger_sources.data (decimals as strings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from trellis_budget.domain.ledger.model import (
    BookingFacts,
    CostKind,
    Facts,
    FixedFacts,
    Line,
    Source,
    SourceFacts,
    SourceKind,
    TimeFacts,
)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _facts(facts: Facts) -> list[Any]:
    if isinstance(facts, TimeFacts):
        return ["t", facts.worked_on.isoformat(), facts.minutes, facts.billable]
    if isinstance(facts, BookingFacts):
        return ["b", facts.starts_on.isoformat(), facts.ends_on.isoformat(), str(facts.hours_per_day)]
    return ["f", facts.on.isoformat(), str(facts.amount), facts.currency]


def _facts_from(data: list[Any]) -> Facts:
    if data[0] == "t":
        return TimeFacts(date.fromisoformat(data[1]), int(data[2]), bool(data[3]))
    if data[0] == "b":
        return BookingFacts(date.fromisoformat(data[1]), date.fromisoformat(data[2]), Decimal(data[3]))
    return FixedFacts(date.fromisoformat(data[1]), Decimal(data[2]), data[3])


def _line(line: Line) -> list[Any]:
    return [
        line.worked_on.isoformat(),
        str(line.quantity),
        line.unit,
        _opt(line.rate),
        _opt(line.rate_ref),
        _opt(line.amount),
        _opt(line.bill_amount),
        line.currency,
    ]


def _line_from(data: list[Any]) -> Line:
    return Line(
        worked_on=date.fromisoformat(data[0]),
        quantity=Decimal(data[1]),
        unit=data[2],
        rate=None if data[3] is None else Decimal(data[3]),
        rate_ref=None if data[4] is None else UUID(data[4]),
        amount=None if data[5] is None else Decimal(data[5]),
        bill_amount=None if data[6] is None else Decimal(data[6]),
        currency=data[7],
    )


def encode_source(source: Source) -> dict[str, Any]:
    f = source.facts
    return {
        "project_id": str(f.project_id),
        "kind": f.kind.value,
        "category": f.category,
        "cost_kind": f.cost_kind.value,
        "subject_id": _opt(f.subject_id),
        "milestone_id": _opt(f.milestone_id),
        "facts": _facts(f.facts),
        "lines": [_line(line) for line in source.lines],
    }


def decode_source(
    source_id: UUID, organisation_id: UUID, version: int, removed: bool, data: dict[str, Any]
) -> Source:
    facts = SourceFacts(
        source_id=source_id,
        organisation_id=organisation_id,
        project_id=UUID(data["project_id"]),
        kind=SourceKind(data["kind"]),
        category=data["category"],
        cost_kind=CostKind(data["cost_kind"]),
        subject_id=None if data["subject_id"] is None else UUID(data["subject_id"]),
        milestone_id=None if data["milestone_id"] is None else UUID(data["milestone_id"]),
        facts=_facts_from(data["facts"]),
    )
    return Source(facts, version, tuple(_line_from(line) for line in data["lines"]), removed=removed)
