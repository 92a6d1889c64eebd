"""How values that JSON lacks are stored in budget's events (Decimal and UUID are built in)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding

from trellis_budget.domain.budget import BudgetLine
from trellis_budget.domain.exchange_rates import ExchangeRate
from trellis_budget.domain.rate_card import RatePeriod


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class BudgetLineAsDict(Transcoding):
    type = BudgetLine
    name = "budget_line"

    def encode(self, obj: BudgetLine) -> dict[str, Any]:
        return {
            "category": obj.category,
            "amount": str(obj.amount),
            "milestone_id": str(obj.milestone_id) if obj.milestone_id else None,
            "description": obj.description,
        }

    def decode(self, data: dict[str, Any]) -> BudgetLine:
        milestone = data.get("milestone_id")
        return BudgetLine(
            category=data["category"],
            amount=Decimal(data["amount"]),
            milestone_id=UUID(milestone) if milestone else None,
            description=data.get("description", ""),
        )


class RatePeriodAsDict(Transcoding):
    type = RatePeriod
    name = "rate_period"

    def encode(self, obj: RatePeriod) -> dict[str, Any]:
        return {
            "period_id": str(obj.period_id),
            "effective_from": obj.effective_from.isoformat(),
            "effective_to": obj.effective_to.isoformat() if obj.effective_to else None,
            "unit": obj.unit,
            "cost_rate": str(obj.cost_rate),
            "bill_rate": str(obj.bill_rate),
            "currency": obj.currency,
        }

    def decode(self, data: dict[str, Any]) -> RatePeriod:
        ends = data.get("effective_to")
        return RatePeriod(
            period_id=UUID(data["period_id"]),
            effective_from=date.fromisoformat(data["effective_from"]),
            effective_to=date.fromisoformat(ends) if ends else None,
            unit=data["unit"],
            cost_rate=Decimal(data["cost_rate"]),
            bill_rate=Decimal(data["bill_rate"]),
            currency=data["currency"],
        )


class ExchangeRateAsDict(Transcoding):
    type = ExchangeRate
    name = "exchange_rate"

    def encode(self, obj: ExchangeRate) -> dict[str, Any]:
        return {
            "rate_id": str(obj.rate_id),
            "base": obj.base,
            "quote": obj.quote,
            "on": obj.on.isoformat(),
            "rate": str(obj.rate),
            "source": obj.source,
        }

    def decode(self, data: dict[str, Any]) -> ExchangeRate:
        return ExchangeRate(
            rate_id=UUID(data["rate_id"]),
            base=data["base"],
            quote=data["quote"],
            on=date.fromisoformat(data["on"]),
            rate=Decimal(data["rate"]),
            source=data["source"],
        )


ALL_TRANSCODINGS: tuple[Transcoding, ...] = (
    DateAsISO(),
    BudgetLineAsDict(),
    RatePeriodAsDict(),
    ExchangeRateAsDict(),
)
