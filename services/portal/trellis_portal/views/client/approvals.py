"""Pending and decided approvals: the firm's requests, and change orders budget sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from trellis_portal.domain.visibility import BudgetMode
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import ApprovalItem, ChangeOrderTerms
from trellis_portal.views.client.snapshot import ProjectSnapshot


def approvals(snapshot: ProjectSnapshot) -> tuple[list[ApprovalItem], list[ApprovalItem]]:
    """(pending, decided), oldest request first and latest decision first."""
    change_orders = snapshot.all(kinds.CHANGE_ORDER)
    recorded = snapshot.all(kinds.APPROVAL)
    items = [_item(snapshot, key, body, change_orders.get(key)) for key, body in recorded.items()]
    items += [_awaiting(snapshot, key, body) for key, body in change_orders.items()
              if key not in recorded and body.get("status") == "sent"]
    pending = sorted((i for i in items if i.status == "pending"),
                     key=lambda i: (i.requested_at or datetime.min, str(i.id)))
    decided = sorted((i for i in items if i.status != "pending"),
                     key=lambda i: (i.decided_at or datetime.min, str(i.id)), reverse=True)
    return pending, decided


def _item(snapshot: ProjectSnapshot, key: str, body: dict[str, Any],
          change_order: dict[str, Any] | None) -> ApprovalItem:
    is_change_order = body["subject"] == "change_order"
    return ApprovalItem(
        id=UUID(key), subject=body["subject"], title=body["title"], description=body.get("description", ""),
        status=body["status"], requested_at=_moment(body.get("requested_at")),
        deliverable_kind=body.get("deliverable_kind"),
        deliverable_id=None if is_change_order else UUID(body["subject_id"]),
        document_version=body.get("document_version"),
        change_order=_terms(snapshot, UUID(body["subject_id"]), change_order) if is_change_order else None,
        decided_at=_moment(body.get("decided_at")),
        decided_by=UUID(body["decided_by"]) if body.get("decided_by") else None,
        comment=body.get("comment"))


def _awaiting(snapshot: ProjectSnapshot, key: str, change_order: dict[str, Any]) -> ApprovalItem:
    return ApprovalItem(
        id=UUID(key), subject="change_order", title=change_order.get("title", ""), description="",
        status="pending", requested_at=_moment(change_order.get("sent_at")), deliverable_kind=None,
        deliverable_id=None, document_version=None,
        change_order=_terms(snapshot, UUID(change_order["change_order_id"]), change_order),
        decided_at=None, decided_by=None, comment=None)


def _terms(snapshot: ProjectSnapshot, change_order_id: UUID,
           change_order: dict[str, Any] | None) -> ChangeOrderTerms:
    found = change_order or {}
    full = snapshot.visibility.budget == BudgetMode.FULL and "cost_impact" in found
    return ChangeOrderTerms(
        change_order_id=change_order_id, scope=found.get("scope"),
        schedule_impact_days=found.get("schedule_impact_days"),
        currency=found["currency"] if full else None, cost_impact=found["cost_impact"] if full else None)


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
