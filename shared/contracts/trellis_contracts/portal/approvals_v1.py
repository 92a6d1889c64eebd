"""Version 1 of the portal's approval events: what the client was asked to approve, and
what they decided. Planning acts on deliverable decisions, budget on change order ones.

``decided_by`` is the client user as an actor (``client:<user id>``), ``client_user_id``
the same user's id.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PORTAL_EVENTS_V1

DeliverableKind = Literal["milestone", "document", "other"]
"""What a deliverable is in planning's terms (``other``: something named only in the request)."""


class ApprovalRequestedV1(EventContract):
    event_type = "com.trellis.portal.approval.requested.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "The firm asked its client to approve a deliverable or a change order in the portal."

    approval_id: UUID
    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    subject: Literal["deliverable", "change_order"]
    subject_id: UUID = Field(description="The milestone, document or change order id")
    deliverable_kind: DeliverableKind | None = None
    document_version: int | None = None
    title: str
    requested_by: str


class DeliverableApprovedV1(EventContract):
    event_type = "com.trellis.portal.deliverable.approved.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client approver accepted a deliverable."

    approval_id: UUID
    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    deliverable_kind: DeliverableKind
    deliverable_id: UUID
    document_version: int | None = None
    title: str
    client_user_id: UUID
    decided_by: str
    comment: str = ""


class DeliverableRejectedV1(EventContract):
    event_type = "com.trellis.portal.deliverable.rejected.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client approver rejected a deliverable; the comment says why."

    approval_id: UUID
    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    deliverable_kind: DeliverableKind
    deliverable_id: UUID
    document_version: int | None = None
    title: str
    client_user_id: UUID
    decided_by: str
    comment: str = Field(min_length=1)


class ChangeOrderApprovedByClientV1(EventContract):
    event_type = "com.trellis.portal.change_order.approved_by_client.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client approver accepted a change order (budget revises the budget)."

    approval_id: UUID
    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    change_order_id: UUID
    client_user_id: UUID
    decided_by: str
    comment: str = ""


class ChangeOrderRejectedByClientV1(EventContract):
    event_type = "com.trellis.portal.change_order.rejected_by_client.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client approver rejected a change order; the comment says why."

    approval_id: UUID
    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    change_order_id: UUID
    client_user_id: UUID
    decided_by: str
    comment: str = Field(min_length=1)
