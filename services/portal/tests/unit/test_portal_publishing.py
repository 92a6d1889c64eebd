"""The portal's domain events as published integration events: planning acts on
deliverable decisions, budget on change order decisions, nobody reads message text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import uuid4

from trellis_contracts.portal.access_v1 import ProjectAccessGrantedV1, ProjectVisibilityChangedV1
from trellis_contracts.portal.approvals_v1 import (
    ApprovalRequestedV1,
    ChangeOrderApprovedByClientV1,
    ChangeOrderRejectedByClientV1,
    DeliverableApprovedV1,
    DeliverableRejectedV1,
)
from trellis_contracts.portal.messages_v1 import MessagePostedV1
from trellis_contracts.portal.surveys_v1 import SurveyAnsweredV1
from trellis_contracts.registry import BY_TYPE
from trellis_contracts.topics import PORTAL_EVENTS_V1
from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.domain.approval import Approval, DeliverableKind
from trellis_portal.domain.project_access import ProjectAccess
from trellis_portal.domain.survey_response import SurveyResponse
from trellis_portal.domain.thread import AuthorKind, Thread
from trellis_portal.domain.visibility import BudgetMode, Visibility
from trellis_portal.publishing.mapping import to_integration_events

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
META = {"actor": "staff:pm-1", "traceparent": TRACEPARENT}


def published(events: Sequence[Any]) -> list[OutgoingEvent]:
    return [out for n, event in enumerate(events, 1) for out in to_integration_events(event, n)]


def payloads(events: Sequence[Any]) -> list[Any]:
    found = []
    for out in published(events):
        assert out.topic == PORTAL_EVENTS_V1
        assert out.envelope.source == "/trellis/portal"
        found.append(BY_TYPE[out.envelope.type].model_validate(out.envelope.data))
    return found


def test_access_changes_are_published_with_who_made_them() -> None:
    access = ProjectAccess(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4(), meta=META)
    user = uuid4()
    access.grant(client_user_id=user, user_client_id=access.client_id, meta=META)
    access.set_visibility(Visibility(budget=BudgetMode.FULL), META)
    events = access.collect_events()
    outgoing = published(events)
    assert len(outgoing) == 2, "opening the record is not news"
    assert {o.key for o in outgoing} == {str(access.id)}, "keyed by the aggregate: ordered"
    assert outgoing[0].headers == {"traceparent": TRACEPARENT}
    granted, changed = payloads(events)
    assert isinstance(granted, ProjectAccessGrantedV1)
    assert (granted.client_user_id, granted.granted_by) == (user, "staff:pm-1")
    assert isinstance(changed, ProjectVisibilityChangedV1)
    assert changed.budget == "full"


def test_deliverable_decisions_tell_planning_what_was_decided() -> None:
    milestone = uuid4()
    approval = Approval.request_deliverable(
        organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4(), kind=DeliverableKind.MILESTONE,
        deliverable_id=milestone, document_version=None, title="Design", description="",
        requested_by="staff:pm", meta=META)
    user = uuid4()
    approval.approve(client_user_id=user, decided_by=f"client:{user}", comment="ok", meta=META)
    requested, approved = payloads(approval.collect_events())
    assert isinstance(requested, ApprovalRequestedV1)
    assert isinstance(approved, DeliverableApprovedV1)
    assert (approved.deliverable_kind, approved.deliverable_id, approved.client_user_id,
            approved.comment) == ("milestone", milestone, user, "ok")

    again = Approval.request_deliverable(
        organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4(), kind=DeliverableKind.DOCUMENT,
        deliverable_id=uuid4(), document_version=3, title="Plans", description="", requested_by="staff:pm",
        meta=META)
    again.reject(client_user_id=user, decided_by=f"client:{user}", comment="Wrong scale", meta=META)
    _, rejected = payloads(again.collect_events())
    assert isinstance(rejected, DeliverableRejectedV1)
    assert (rejected.document_version, rejected.comment) == (3, "Wrong scale")


def test_change_order_decisions_tell_budget_which_change_order() -> None:
    for approve, expected in ((True, ChangeOrderApprovedByClientV1), (False, ChangeOrderRejectedByClientV1)):
        change_order = uuid4()
        approval = Approval.for_change_order(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4(),
                                             change_order_id=change_order, title="More sockets",
                                             requested_by="budget", meta=META)
        decide = approval.approve if approve else approval.reject
        decide(client_user_id=uuid4(), decided_by="client:u", comment="because", meta=META)
        decision = payloads(approval.collect_events())[-1]
        assert isinstance(decision, expected)
        assert decision.change_order_id == change_order


def test_a_message_is_published_without_its_text() -> None:
    thread = Thread.start(organisation_id=uuid4(), project_id=uuid4(), subject="Snags", started_by="staff:s",
                          meta=META)
    thread.post(message_id=uuid4(), author="staff:s", author_kind=AuthorKind.STAFF, body="secret margin note",
                internal=True, meta=META)
    events = thread.collect_events()
    (posted,) = payloads(events)
    assert isinstance(posted, MessagePostedV1)
    assert posted.internal
    assert all("secret" not in out.envelope.model_dump_json() for out in published(events))


def test_a_survey_answer_is_published_with_its_scores() -> None:
    response = SurveyResponse.answer(organisation_id=uuid4(), project_id=uuid4(), survey_id=uuid4(),
                                     milestone_id=uuid4(), client_user_id=uuid4(), csat=4, nps=10, comment="",
                                     meta=META)
    (answered,) = payloads(response.collect_events())
    assert isinstance(answered, SurveyAnsweredV1)
    assert (answered.csat, answered.nps) == (4, 10)
