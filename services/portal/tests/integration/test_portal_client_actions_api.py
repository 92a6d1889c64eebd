"""What clients do in the portal: approve or reject, converse with the team, answer surveys."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from portal_test_kit import Firm, Seeded, seed_everything

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.progress_v1 import MilestoneCompletedV1
from trellis_contracts.portal.approvals_v1 import ChangeOrderApprovedByClientV1, DeliverableRejectedV1
from trellis_contracts.registry import BY_TYPE
from trellis_portal.domain.ids import change_order_approval_id, survey_id
from trellis_portal.publishing.mapping import to_integration_events
from trellis_portal.wiring import Portal


@pytest.fixture
def seeded(http: TestClient, firm: Firm) -> Seeded:
    seeded = seed_everything(firm)
    for user in (firm.viewer_id, firm.approver_id):
        http.put(f"/api/portal/projects/{firm.project}/access/{user}", headers=firm.manager())
    return seeded


def published(portal: Portal) -> list[EventContract]:
    """What the relay would publish from everything stored so far."""
    recorder = portal.application.recorder
    found = []
    for notification in recorder.select_notifications(0, 1000, inclusive_of_start=False):
        event = portal.application.mapper.to_domain_event(notification)
        for out in to_integration_events(event, notification.id):
            found.append(BY_TYPE[out.envelope.type].model_validate(out.envelope.data))
    return found


def stored(portal: Portal) -> int:
    return portal.application.recorder.max_notification_id() or 0


# -- approvals ------------------------------------------------------------------------------

def test_an_approver_rejects_a_deliverable_with_a_comment_once(http: TestClient, firm: Firm, seeded: Seeded,
                                                               portal: Portal) -> None:
    requested = http.post(f"/api/portal/projects/{firm.project}/approvals", headers=firm.manager(), json={
        "deliverable_kind": "milestone", "deliverable_id": str(seeded.milestone), "title": "Design sign-off",
        "description": "Please review the drawings"})
    assert requested.status_code == 201, requested.text
    approval = requested.json()["id"]
    decide = f"/api/portal/projects/{firm.project}/approvals/{approval}"

    assert http.post(f"{decide}/reject", json={"comment": "no"}, headers=firm.viewer()).status_code == 403
    no_reason = http.post(f"{decide}/reject", json={"comment": " "}, headers=firm.approver())
    assert no_reason.status_code == 422
    assert "why" in no_reason.json()["detail"]

    rejected = http.post(f"{decide}/reject", json={"comment": "Lobby is too dark"}, headers=firm.approver())
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["comment"]) == ("rejected", "Lobby is too dark")
    assert rejected.json()["decided_by"] == str(firm.approver_id)
    before = stored(portal)
    again = http.post(f"{decide}/approve", json={"comment": ""}, headers=firm.approver())
    assert again.status_code == 409
    assert stored(portal) == before

    decision = published(portal)[-1]
    assert isinstance(decision, DeliverableRejectedV1)
    assert (decision.deliverable_id, decision.comment) == (seeded.milestone, "Lobby is too dark")
    listed = http.get(f"/api/portal/projects/{firm.project}/approvals", headers=firm.viewer()).json()
    assert [a["id"] for a in listed["decided"]] == [approval]


def test_an_approver_approves_a_change_order_budget_sent(http: TestClient, firm: Firm, seeded: Seeded,
                                                         portal: Portal) -> None:
    listed = http.get(f"/api/portal/projects/{firm.project}/approvals", headers=firm.approver()).json()
    (pending,) = listed["pending"]
    assert pending["id"] == str(change_order_approval_id(seeded.change_order))
    assert pending["change_order"]["scope"] == "Twelve more downlights in the lobby"
    approved = http.post(f"/api/portal/projects/{firm.project}/approvals/{pending['id']}/approve",
                         json={"comment": "Go ahead"}, headers=firm.approver())
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    decision = published(portal)[-1]
    assert isinstance(decision, ChangeOrderApprovedByClientV1)
    assert (decision.change_order_id, decision.client_user_id) == (seeded.change_order, firm.approver_id)
    assert http.post(f"/api/portal/projects/{firm.project}/approvals/{pending['id']}/reject",
                     json={"comment": "changed my mind"}, headers=firm.approver()).status_code == 409


def test_approval_requests_name_a_deliverable_the_project_has(http: TestClient, firm: Firm, seeded: Seeded,
                                                              portal: Portal) -> None:
    before = stored(portal)
    path = f"/api/portal/projects/{firm.project}/approvals"
    for body in ({"deliverable_kind": "milestone", "deliverable_id": str(uuid4()), "title": "x"},
                 {"deliverable_kind": "document", "deliverable_id": str(seeded.document),
                  "document_version": 9, "title": "x"},
                 {"deliverable_kind": "spaceship", "deliverable_id": str(uuid4()), "title": "x"},
                 {"deliverable_kind": "other", "deliverable_id": str(uuid4()), "title": ""}):
        response = http.post(path, json=body, headers=firm.manager())
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
    assert stored(portal) == before, "nothing half-written"
    assert http.post(f"{path}/{uuid4()}/approve", json={}, headers=firm.approver()).status_code == 404


# -- threads --------------------------------------------------------------------------------

def test_both_sides_post_and_internal_notes_stay_with_the_firm(http: TestClient, firm: Firm,
                                                               seeded: Seeded) -> None:
    started = http.post(f"/api/portal/projects/{firm.project}/threads", headers=firm.viewer(),
                        json={"subject": "Site access", "body": "What is the gate code?"})
    assert started.status_code == 201, started.text
    thread = started.json()["id"]
    messages = f"/api/portal/projects/{firm.project}/threads/{thread}/messages"
    assert http.post(messages, json={"body": "4711"}, headers=firm.manager()).status_code == 201
    note = http.post(messages, json={"body": "They asked twice already", "internal": True},
                     headers=firm.manager())
    assert [m["internal"] for m in note.json()["messages"]] == [False, False, True]
    client_note = http.post(messages, json={"body": "psst", "internal": True}, headers=firm.viewer())
    assert client_note.status_code == 422

    threads = http.get(f"/api/portal/projects/{firm.project}/threads", headers=firm.approver()).json()
    (seen_by_client,) = threads["items"]
    assert [m["body"] for m in seen_by_client["messages"]] == ["What is the gate code?", "4711"]
    assert [m["author_kind"] for m in seen_by_client["messages"]] == ["client", "staff"]
    assert http.post(f"/api/portal/projects/{firm.project}/threads/{uuid4()}/messages", json={"body": "hi"},
                     headers=firm.viewer()).status_code == 404


# -- surveys --------------------------------------------------------------------------------

def test_a_completed_milestone_brings_a_survey_each_user_answers_once(http: TestClient, firm: Firm,
                                                                      seeded: Seeded, portal: Portal) -> None:
    listed = http.get(f"/api/portal/projects/{firm.project}/surveys", headers=firm.viewer()).json()
    (survey,) = listed["items"]
    assert survey["id"] == str(survey_id(seeded.completed_milestone))
    assert survey["my_response"] is None
    answer = f"/api/portal/projects/{firm.project}/surveys/{survey['id']}/responses"
    first = http.post(answer, json={"csat": 4, "nps": 9, "comment": "Tidy site"}, headers=firm.viewer())
    assert first.status_code == 201, first.text
    assert first.json()["my_response"]["csat"] == 4
    before = stored(portal)
    second = http.post(answer, json={"csat": 1, "nps": 0}, headers=firm.viewer())
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    assert stored(portal) == before
    assert http.post(answer, json={"csat": 6, "nps": 9}, headers=firm.approver()).status_code == 422
    assert http.post(answer, json={"csat": 2, "nps": 5}, headers=firm.approver()).status_code == 201
    assert http.post(answer, json={"csat": 2, "nps": 5}, headers=firm.manager()).status_code == 403

    results = http.get(f"/api/portal/projects/{firm.project}/surveys/results", headers=firm.manager()).json()
    (result,) = results["items"]
    assert (result["average_csat"], result["net_promoter_score"]) == ("3.0", "0.0")


def test_a_survey_is_sent_for_each_milestone_that_completes(http: TestClient, firm: Firm,
                                                            seeded: Seeded) -> None:
    firm.publish(MilestoneCompletedV1(milestone_id=seeded.milestone, organisation_id=firm.organisation,
                                      project_id=firm.project, name="Design", completed_on=date(2026, 3, 20)),
                 seeded.milestone)
    items = http.get(f"/api/portal/projects/{firm.project}/surveys", headers=firm.viewer()).json()["items"]
    assert {i["milestone_name"] for i in items} == {"Survey", "Design"}
