"""A client's approval of a deliverable or a change order: asked once, decided once.

A deliverable's approval is requested by the firm; a change order's is created when
the client decides on a change order budget sent them (its id derives from the change
order's, so a change order is decided at most once). Decisions carry what the published
events need, so the mapping reads the event alone.
Stored event topics are ``trellis_portal.domain.approval:Approval.<Event>``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from trellis_portal.domain.errors import Conflict, PortalRuleBroken
from trellis_portal.domain.ids import change_order_approval_id
from trellis_portal.domain.text_rules import MAX_COMMENT, MAX_MESSAGE, MAX_TITLE, optional, required


class Subject(StrEnum):
    DELIVERABLE = "deliverable"
    CHANGE_ORDER = "change_order"


class DeliverableKind(StrEnum):
    MILESTONE = "milestone"
    DOCUMENT = "document"
    OTHER = "other"


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Approval(Aggregate):
    class Requested(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        client_id: UUID
        subject: str
        subject_id: UUID
        deliverable_kind: str | None
        document_version: int | None
        title: str
        description: str
        requested_by: str
        meta: dict[str, str]

    @staticmethod
    def create_id(subject: str, subject_id: UUID) -> UUID:
        if subject == Subject.CHANGE_ORDER:
            return change_order_approval_id(subject_id)
        return uuid4()

    @event(Requested)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, client_id: UUID, subject: str,
                 subject_id: UUID, deliverable_kind: str | None, document_version: int | None,
                 title: str, description: str, requested_by: str, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.client_id = client_id
        self.subject = Subject(subject)
        self.subject_id = subject_id
        self.deliverable_kind = deliverable_kind
        self.document_version = document_version
        self.title = title
        self.description = description
        self.requested_by = requested_by
        self.status = Status.PENDING

    @classmethod
    def request_deliverable(cls, *, organisation_id: UUID, project_id: UUID, client_id: UUID,
                            kind: DeliverableKind, deliverable_id: UUID, document_version: int | None,
                            title: str, description: str, requested_by: str,
                            meta: dict[str, str]) -> Approval:
        if (kind == DeliverableKind.DOCUMENT) != (document_version is not None):
            raise PortalRuleBroken("document_version is given for a document deliverable, and only then.")
        return cls(organisation_id=organisation_id, project_id=project_id, client_id=client_id,
                   subject=Subject.DELIVERABLE.value, subject_id=deliverable_id,
                   deliverable_kind=kind.value, document_version=document_version,
                   title=required(title, "The title", MAX_TITLE),
                   description=optional(description, "The description", MAX_MESSAGE),
                   requested_by=requested_by, meta=meta)

    @classmethod
    def for_change_order(cls, *, organisation_id: UUID, project_id: UUID, client_id: UUID,
                         change_order_id: UUID, title: str, requested_by: str,
                         meta: dict[str, str]) -> Approval:
        return cls(organisation_id=organisation_id, project_id=project_id, client_id=client_id,
                   subject=Subject.CHANGE_ORDER.value, subject_id=change_order_id,
                   deliverable_kind=None, document_version=None,
                   title=required(title, "The title", MAX_TITLE), description="",
                   requested_by=requested_by, meta=meta)

    # -- the decision ---------------------------------------------------------------------

    class Decided(Aggregate.Event):
        """What was decided on, and by whom: the published event is built from this alone."""

        organisation_id: UUID
        project_id: UUID
        client_id: UUID
        subject: str
        subject_id: UUID
        deliverable_kind: str | None
        document_version: int | None
        title: str
        client_user_id: UUID
        decided_by: str
        comment: str
        meta: dict[str, str]

    class Approved(Decided):
        pass

    class Rejected(Decided):
        pass

    def approve(self, *, client_user_id: UUID, decided_by: str, comment: str, meta: dict[str, str]) -> None:
        self._check_pending()
        comment = optional(comment, "The comment", MAX_COMMENT)
        self._approved(**self._decision(client_user_id, decided_by, comment), meta=meta)

    def reject(self, *, client_user_id: UUID, decided_by: str, comment: str, meta: dict[str, str]) -> None:
        self._check_pending()
        comment = required(comment, "A rejection's comment (why)", MAX_COMMENT)
        self._rejected(**self._decision(client_user_id, decided_by, comment), meta=meta)

    def _check_pending(self) -> None:
        if self.status != Status.PENDING:
            raise Conflict(f"Approval {self.id} was already {self.status.value}.")

    def _decision(self, client_user_id: UUID, decided_by: str, comment: str) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id, "project_id": self.project_id,
            "client_id": self.client_id, "subject": self.subject.value, "subject_id": self.subject_id,
            "deliverable_kind": self.deliverable_kind, "document_version": self.document_version,
            "title": self.title, "client_user_id": client_user_id, "decided_by": decided_by,
            "comment": comment,
        }

    @event(Approved)
    def _approved(self, organisation_id: UUID, project_id: UUID, client_id: UUID, subject: str,
                  subject_id: UUID, deliverable_kind: str | None, document_version: int | None, title: str,
                  client_user_id: UUID, decided_by: str, comment: str, meta: dict[str, str]) -> None:
        self.status = Status.APPROVED

    @event(Rejected)
    def _rejected(self, organisation_id: UUID, project_id: UUID, client_id: UUID, subject: str,
                  subject_id: UUID, deliverable_kind: str | None, document_version: int | None, title: str,
                  client_user_id: UUID, decided_by: str, comment: str, meta: dict[str, str]) -> None:
        self.status = Status.REJECTED
