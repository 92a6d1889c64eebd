"""What a client saw: the portal view any client user was shown at any past moment, rebuilt
exactly, under the grants and visibility in force then.

The test records what the live routes answered while grants, visibility and content change,
then asks the audit route for each recorded moment and compares the JSON exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import uuid4

from fastapi.testclient import TestClient
from portal_test_kit import Firm, seed_everything, staff

from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_contracts.planning.progress_v1 import MilestoneCompletedV1
from trellis_platform.auth.caller import StaffRole

SECTIONS = ("overview", "documents", "budget", "time", "tasks", "approvals", "threads", "surveys")
SHOWN = {"milestones": True, "tasks": True, "documents": True, "time": True, "health": True, "budget": "full"}


@dataclass
class Shown:
    """Everything one client user got from the live routes at one moment."""

    as_of: str
    my_projects: dict[str, Any]
    sections: dict[str, dict[str, Any] | None]


def live(http: TestClient, firm: Firm, headers: dict[str, str]) -> Shown:
    sections: dict[str, dict[str, Any] | None] = {}
    for name in SECTIONS:
        response = http.get(f"/api/portal/projects/{firm.project}/{name}", headers=headers)
        assert response.status_code in (200, 404), response.text
        sections[name] = response.json() if response.status_code == 200 else None
    mine = http.get("/api/portal/me/projects", headers=headers).json()
    moments = {body["as_of"] for body in sections.values() if body is not None} | {mine["as_of"]}
    assert len(moments) == 1, "nothing changed while the screen was read"
    return Shown(as_of=mine["as_of"], my_projects=mine, sections=sections)


def reconstructed(http: TestClient, firm: Firm, user: object, as_of: str,
                  headers: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    auditor = headers or staff(firm.organisation, StaffRole.AUDITOR)
    query = f"user={user}&as_of={quote(as_of)}"
    project = http.get(f"/api/portal/projects/{firm.project}/client-view?{query}", headers=auditor)
    projects = http.get(f"/api/portal/client-view?{query}", headers=auditor)
    assert project.status_code == 200, project.text
    assert projects.status_code == 200, projects.text
    return project.json(), projects.json()


def test_every_recorded_view_is_reconstructed_exactly(http: TestClient, firm: Firm) -> None:
    manager, project = firm.manager(), f"/api/portal/projects/{firm.project}"
    seeded = seed_everything(firm)
    recorded: list[Shown] = [live(http, firm, firm.viewer())]  # before any grant: nothing

    http.put(f"{project}/access/{firm.viewer_id}", headers=manager)
    http.put(f"{project}/access/{firm.approver_id}", headers=manager)
    recorded.append(live(http, firm, firm.viewer()))  # the defaults: no budget, no time, no tasks

    http.put(f"{project}/visibility", json={**SHOWN, "budget": "percent", "time": False}, headers=manager)
    recorded.append(live(http, firm, firm.viewer()))

    firm.publish(DocumentVersionAddedV1(
        document_id=seeded.document, organisation_id=firm.organisation, project_id=firm.project,
        name="Floor plan (rev B)", version_number=2, size_bytes=4096, sha256="b" * 64,
        content_type="application/pdf", filename="plan-v2.pdf", uploaded_by="staff:x"), seeded.document)
    firm.publish(MilestoneCompletedV1(milestone_id=seeded.milestone, organisation_id=firm.organisation,
                                      project_id=firm.project, name="Design", completed_on=date(2026, 3, 20)),
                 seeded.milestone)
    thread = http.post(f"{project}/threads", json={"subject": "Lobby", "body": "Options attached"},
                       headers=manager).json()["id"]
    http.post(f"{project}/threads/{thread}/messages", json={"body": "margin is thin", "internal": True},
              headers=manager)
    recorded.append(live(http, firm, firm.viewer()))

    surveys = http.get(f"{project}/surveys", headers=firm.viewer()).json()["items"]
    http.post(f"{project}/surveys/{surveys[0]['id']}/responses", json={"csat": 5, "nps": 10},
              headers=firm.viewer())
    pending = http.get(f"{project}/approvals", headers=firm.approver()).json()["pending"]
    http.post(f"{project}/approvals/{pending[0]['id']}/approve", json={"comment": "ok"},
              headers=firm.approver())
    recorded.append(live(http, firm, firm.viewer()))

    http.put(f"{project}/visibility", json={**SHOWN, "documents": False}, headers=manager)
    recorded.append(live(http, firm, firm.viewer()))

    http.delete(f"{project}/access/{firm.viewer_id}", headers=manager)
    recorded.append(live(http, firm, firm.viewer()))  # revoked: 404s and an empty list

    http.put(f"{project}/access/{firm.viewer_id}", headers=manager)
    http.put(f"{project}/visibility", json={**SHOWN, "budget": "hidden", "milestones": False},
             headers=manager)
    recorded.append(live(http, firm, firm.viewer()))

    assert len({shown.as_of for shown in recorded}) == len(recorded), "each recorded view is another moment"
    distinct = len({str(shown.sections) for shown in recorded})
    assert distinct == len(recorded) - 1, "each shows something else (revoked shows nothing, as at first)"
    for shown in recorded:
        project_view, projects_view = reconstructed(http, firm, firm.viewer_id, shown.as_of)
        assert (project_view["as_of"], project_view["user_id"]) == (shown.as_of, str(firm.viewer_id))
        for name in SECTIONS:
            assert project_view[name] == shown.sections[name], f"{name} as of {shown.as_of}"
        assert projects_view["my_projects"] == shown.my_projects


def test_before_the_project_existed_the_user_saw_nothing(http: TestClient, firm: Firm) -> None:
    http.put(f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}", headers=firm.manager())
    long_ago = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    project_view, projects_view = reconstructed(http, firm, firm.viewer_id, long_ago)
    assert all(project_view[name] is None for name in SECTIONS)
    assert projects_view["my_projects"]["items"] == []


def test_only_auditors_and_admins_reconstruct_and_only_in_their_organisation(http: TestClient,
                                                                            firm: Firm) -> None:
    http.put(f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}", headers=firm.manager())
    now = live(http, firm, firm.viewer()).as_of
    path = f"/api/portal/projects/{firm.project}/client-view?user={firm.viewer_id}&as_of={quote(now)}"
    for allowed in (StaffRole.AUDITOR, StaffRole.ADMIN, StaffRole.OWNER):
        assert http.get(path, headers=staff(firm.organisation, allowed)).status_code == 200
    for refused in (firm.manager(), staff(firm.organisation, StaffRole.FINANCE), firm.viewer()):
        assert http.get(path, headers=refused).status_code == 403
    other_auditor = staff(uuid4(), StaffRole.AUDITOR)
    assert http.get(path, headers=other_auditor).status_code == 404, "another organisation's project"
    mine = http.get(f"/api/portal/client-view?user={firm.viewer_id}&as_of={quote(now)}",
                    headers=other_auditor)
    assert mine.json()["my_projects"]["items"] == [], "another organisation's user shows nothing"


def test_a_moment_must_be_past_and_carry_its_offset(http: TestClient, firm: Firm) -> None:
    auditor = staff(firm.organisation, StaffRole.AUDITOR)
    base = f"/api/portal/projects/{firm.project}/client-view?user={firm.viewer_id}&as_of="
    future = quote((datetime.now(UTC) + timedelta(hours=1)).isoformat())
    for as_of, mentions in ((future, "future"), ("2026-01-05T10:00:00", "as_of"), ("yesterday", "as_of")):
        response = http.get(base + as_of, headers=auditor)
        assert response.status_code == 422
        assert mentions in response.json()["detail"]
    assert http.get(f"/api/portal/client-view?as_of={future}", headers=auditor).status_code == 422
