"""Approval use cases: the firm asks, a client approver decides, once."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from trellis_portal.application.refs import ChangeOrderRef, ClientUserRef, ProjectRef
from trellis_portal.application.saving import conflicts_as
from trellis_portal.domain.approval import Approval, DeliverableKind
from trellis_portal.domain.errors import Conflict, NotFound

DECIDED_MEANWHILE = "The approval was decided at the same moment by someone else."


class ApprovalUseCases(Application[UUID]):
    def request_approval(self, project: ProjectRef, *, kind: DeliverableKind, deliverable_id: UUID,
                         document_version: int | None, title: str, description: str, requested_by: str,
                         meta: dict[str, str]) -> Approval:
        approval = Approval.request_deliverable(
            organisation_id=project.organisation_id, project_id=project.project_id,
            client_id=project.client_id, kind=kind, deliverable_id=deliverable_id,
            document_version=document_version, title=title, description=description,
            requested_by=requested_by, meta=meta)
        self.save(approval)
        return approval

    def decide(self, project: ProjectRef, approval_id: UUID, *, user: ClientUserRef, approve: bool,
               comment: str, decided_by: str, change_order: ChangeOrderRef | None,
               meta: dict[str, str]) -> Approval:
        """``change_order``: the change order this approval id stands for, when the client
        decides on one budget sent; its approval is created with the decision."""
        approval = self._approval(project, approval_id)
        if approval is None:
            if change_order is None:
                raise NotFound(f"No approval {approval_id} on this project.")
            if change_order.status != "sent":
                raise Conflict(f"Change order {change_order.change_order_id} is {change_order.status}, "
                               "not awaiting the client's decision.")
            approval = Approval.for_change_order(
                organisation_id=project.organisation_id, project_id=project.project_id,
                client_id=project.client_id, change_order_id=change_order.change_order_id,
                title=change_order.title, requested_by="budget", meta=meta)
        decision = approval.approve if approve else approval.reject
        decision(client_user_id=user.user_id, decided_by=decided_by, comment=comment, meta=meta)
        with conflicts_as(DECIDED_MEANWHILE):
            self.save(approval)
        return approval

    def _approval(self, project: ProjectRef, approval_id: UUID) -> Approval | None:
        try:
            found: Any = self.repository.get(approval_id)
        except AggregateNotFoundError:
            return None
        if (not isinstance(found, Approval) or found.organisation_id != project.organisation_id
                or found.project_id != project.project_id):
            return None
        return found
