"""Approvals: asked once, decided once, a rejection says why; a change order is decided
by the client at most once, and only while budget awaits the client."""

from __future__ import annotations

from uuid import uuid4

import pytest

from trellis_portal.application.portal import PortalApplication
from trellis_portal.application.refs import ChangeOrderRef, ClientUserRef, ProjectRef
from trellis_portal.domain.approval import Approval, DeliverableKind, Status
from trellis_portal.domain.errors import Conflict, NotFound, PortalRuleBroken
from trellis_portal.domain.ids import change_order_approval_id

META = {"actor": "client:someone"}


@pytest.fixture
def app() -> PortalApplication:
    return PortalApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def project() -> ProjectRef:
    return ProjectRef(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4())


def approver(project: ProjectRef) -> ClientUserRef:
    return ClientUserRef(organisation_id=project.organisation_id, user_id=uuid4(),
                         client_id=project.client_id)


def requested(app: PortalApplication, project: ProjectRef, **overrides: object) -> Approval:
    fields: dict[str, object] = {"kind": DeliverableKind.MILESTONE, "deliverable_id": uuid4(),
                                 "document_version": None, "title": "Design sign-off", "description": "",
                                 "requested_by": "staff:pm", "meta": META}
    fields.update(overrides)
    return app.request_approval(project, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "   "}, "title cannot be empty"),
        ({"title": "x" * 201}, "at most 200"),
        ({"kind": DeliverableKind.DOCUMENT}, "document_version"),
        ({"document_version": 2}, "document_version"),
    ],
)
def test_a_request_names_its_deliverable_properly(app: PortalApplication, project: ProjectRef,
                                                   overrides: dict[str, object], message: str) -> None:
    with pytest.raises(PortalRuleBroken, match=message):
        requested(app, project, **overrides)
    assert app.recorder.max_notification_id() is None


def test_an_approval_is_decided_once(app: PortalApplication, project: ProjectRef) -> None:
    approval = requested(app, project)
    user = approver(project)
    decided = app.decide(project, approval.id, user=user, approve=True, comment=" Looks right ",
                         decided_by=f"client:{user.user_id}", change_order=None, meta=META)
    assert decided.status == Status.APPROVED
    with pytest.raises(Conflict, match="already approved"):
        app.decide(project, approval.id, user=user, approve=False, comment="changed my mind",
                   decided_by="client:x", change_order=None, meta=META)


def test_a_rejection_says_why(app: PortalApplication, project: ProjectRef) -> None:
    approval = requested(app, project)
    with pytest.raises(PortalRuleBroken, match="why"):
        app.decide(project, approval.id, user=approver(project), approve=False, comment="  ",
                   decided_by="client:x", change_order=None, meta=META)
    assert app.repository.get(approval.id).status == Status.PENDING


def test_an_approval_of_another_project_is_not_found(app: PortalApplication, project: ProjectRef) -> None:
    approval = requested(app, project)
    elsewhere = ProjectRef(organisation_id=project.organisation_id, project_id=uuid4(),
                           client_id=project.client_id)
    with pytest.raises(NotFound):
        app.decide(elsewhere, approval.id, user=approver(elsewhere), approve=True, comment="",
                   decided_by="client:x", change_order=None, meta=META)


def test_a_change_order_is_decided_by_the_client_at_most_once(app: PortalApplication,
                                                              project: ProjectRef) -> None:
    change_order = ChangeOrderRef(change_order_id=uuid4(), title="Extra lighting", status="sent")
    approval_id = change_order_approval_id(change_order.change_order_id)
    decided = app.decide(project, approval_id, user=approver(project), approve=False, comment="Too dear",
                         decided_by="client:x", change_order=change_order, meta=META)
    assert (decided.id, decided.status, decided.subject_id) == (approval_id, Status.REJECTED,
                                                                 change_order.change_order_id)
    with pytest.raises(Conflict):
        app.decide(project, approval_id, user=approver(project), approve=True, comment="",
                   decided_by="client:y", change_order=change_order, meta=META)


def test_a_change_order_budget_no_longer_awaits_is_a_conflict(app: PortalApplication,
                                                              project: ProjectRef) -> None:
    change_order = ChangeOrderRef(change_order_id=uuid4(), title="Extra lighting", status="approved")
    with pytest.raises(Conflict, match="not awaiting"):
        app.decide(project, change_order_approval_id(change_order.change_order_id), user=approver(project),
                   approve=True, comment="", decided_by="client:x", change_order=change_order, meta=META)
    assert app.recorder.max_notification_id() is None
