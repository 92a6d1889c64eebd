"""Approval domain events to integration events: planning acts on deliverable decisions,
budget on change order decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.event_contract import EventContract
from trellis_contracts.portal.approvals_v1 import (
    ApprovalRequestedV1,
    ChangeOrderApprovedByClientV1,
    ChangeOrderRejectedByClientV1,
    DeliverableApprovedV1,
    DeliverableRejectedV1,
)
from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.domain.approval import Approval, Subject
from trellis_portal.publishing.envelopes import outgoing


def approval_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, Approval.Requested):
        requested = ApprovalRequestedV1.model_validate({
            "approval_id": domain_event.originator_id, "organisation_id": domain_event.organisation_id,
            "project_id": domain_event.project_id, "client_id": domain_event.client_id,
            "subject": domain_event.subject, "subject_id": domain_event.subject_id,
            "deliverable_kind": domain_event.deliverable_kind,
            "document_version": domain_event.document_version, "title": domain_event.title,
            "requested_by": domain_event.requested_by})
        return [outgoing(domain_event, requested, notification_id)]
    if isinstance(domain_event, Approval.Approved | Approval.Rejected):
        return [outgoing(domain_event, _decision(domain_event), notification_id)]
    return []


def _decision(decided: Approval.Decided) -> EventContract:
    approved = isinstance(decided, Approval.Approved)
    common: dict[str, Any] = {
        "approval_id": decided.originator_id, "organisation_id": decided.organisation_id,
        "project_id": decided.project_id, "client_id": decided.client_id,
        "client_user_id": decided.client_user_id, "decided_by": decided.decided_by,
        "comment": decided.comment,
    }
    if decided.subject == Subject.CHANGE_ORDER:
        change_order = ChangeOrderApprovedByClientV1 if approved else ChangeOrderRejectedByClientV1
        return change_order(change_order_id=decided.subject_id, **common)
    deliverable = DeliverableApprovedV1 if approved else DeliverableRejectedV1
    return deliverable.model_validate({
        "deliverable_kind": decided.deliverable_kind, "deliverable_id": decided.subject_id,
        "document_version": decided.document_version, "title": decided.title, **common})
