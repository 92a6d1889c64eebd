"""Staff grant and revoke a client user's access to a project, and set what it shows."""

from __future__ import annotations

from uuid import uuid4

from fastapi.testclient import TestClient
from portal_test_kit import Firm, staff

from trellis_platform.auth.caller import StaffRole
from trellis_portal.wiring import Portal

VISIBLE_ALL = {"milestones": True, "tasks": True, "documents": True, "time": True, "health": True,
               "budget": "full"}


def test_a_granted_client_user_sees_the_project_and_others_do_not(http: TestClient, firm: Firm) -> None:
    assert http.get("/api/portal/me/projects", headers=firm.viewer()).json()["items"] == []
    assert http.get(f"/api/portal/projects/{firm.project}/overview", headers=firm.viewer()).status_code == 404

    granted = http.put(f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}", headers=firm.manager())
    assert granted.status_code == 200, granted.text
    assert [g["user_id"] for g in granted.json()["grants"]] == [str(firm.viewer_id)]

    mine = http.get("/api/portal/me/projects", headers=firm.viewer()).json()["items"]
    assert [p["id"] for p in mine] == [str(firm.project)]
    overview = f"/api/portal/projects/{firm.project}/overview"
    assert http.get(overview, headers=firm.viewer()).status_code == 200
    assert http.get(overview, headers=firm.approver()).status_code == 404


def test_granting_twice_changes_nothing_and_revoking_ends_access(http: TestClient, firm: Firm,
                                                                 portal: Portal) -> None:
    path = f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}"
    http.put(path, headers=firm.manager())
    stored = portal.application.recorder.max_notification_id()
    assert http.put(path, headers=firm.manager()).status_code == 200
    assert portal.application.recorder.max_notification_id() == stored, "no second grant event"

    assert http.delete(path, headers=firm.manager()).status_code == 204
    assert http.get(f"/api/portal/projects/{firm.project}/overview", headers=firm.viewer()).status_code == 404
    assert http.delete(path, headers=firm.manager()).status_code == 404, "nothing left to revoke"


def test_a_user_of_another_client_cannot_be_granted(http: TestClient, firm: Firm, portal: Portal) -> None:
    stranger = uuid4()
    firm.add_client_user(stranger, uuid4(), "approver", "Other Client's User")
    before = portal.application.recorder.max_notification_id()
    response = http.put(f"/api/portal/projects/{firm.project}/access/{stranger}", headers=firm.manager())
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "another client" in response.json()["detail"]
    assert portal.application.recorder.max_notification_id() == before, "nothing half-written"


def test_unknown_users_and_projects_answer_404(http: TestClient, firm: Firm) -> None:
    assert http.put(f"/api/portal/projects/{firm.project}/access/{uuid4()}",
                    headers=firm.manager()).status_code == 404
    assert http.put(f"/api/portal/projects/{uuid4()}/access/{firm.viewer_id}",
                    headers=firm.manager()).status_code == 404
    other_firm = staff(uuid4(), StaffRole.OWNER)
    assert http.put(f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}",
                    headers=other_firm).status_code == 404, "another organisation's project"


def test_visibility_is_set_in_full_or_refused(http: TestClient, firm: Firm, portal: Portal) -> None:
    path = f"/api/portal/projects/{firm.project}/visibility"
    response = http.put(path, json=VISIBLE_ALL, headers=firm.manager())
    assert response.status_code == 200, response.text
    assert response.json()["visibility"] == VISIBLE_ALL
    before = portal.application.recorder.max_notification_id()
    for bad in ({**VISIBLE_ALL, "budget": "some"}, {k: v for k, v in VISIBLE_ALL.items() if k != "time"},
                {**VISIBLE_ALL, "cost_rates": True}):
        refused = http.put(path, json=bad, headers=firm.manager())
        assert refused.status_code == 422
        assert refused.json()["errors"], "the problem names the field"
    assert portal.application.recorder.max_notification_id() == before


def test_only_managers_change_access(http: TestClient, firm: Firm) -> None:
    path = f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}"
    assert http.put(path, headers=staff(firm.organisation, StaffRole.MEMBER)).status_code == 403
    assert http.put(path, headers=firm.approver()).status_code == 403
    assert http.put(path).status_code == 401
