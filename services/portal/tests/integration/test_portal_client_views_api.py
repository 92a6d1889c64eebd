"""What a client sees of a granted project, section by section, as the firm chose to show it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient
from portal_test_kit import BUDGET_TOTAL, COST_SO_FAR, IDENTITIES, Firm, Seeded, seed_everything

from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_platform.http_app import new_http_app
from trellis_portal.content.planning_documents import PlanningDocuments
from trellis_portal.wiring import Portal, build_portal

EVERYTHING = {"milestones": True, "tasks": True, "documents": True, "time": True, "health": True,
              "budget": "full"}
NOTHING_OPTIONAL = {"milestones": False, "tasks": False, "documents": False, "time": False, "health": False,
                    "budget": "hidden"}


@pytest.fixture
def seeded(http: TestClient, firm: Firm) -> Seeded:
    seeded = seed_everything(firm)
    assert http.put(f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}",
                    headers=firm.manager()).status_code == 200
    return seeded


def show(http: TestClient, firm: Firm, **settings: object) -> None:
    response = http.put(f"/api/portal/projects/{firm.project}/visibility", json={**EVERYTHING, **settings},
                        headers=firm.manager())
    assert response.status_code == 200, response.text


def read(http: TestClient, firm: Firm, section: str) -> httpx.Response:
    path = f"/api/portal/projects/{firm.project}/{section}"
    response: httpx.Response = http.get(path, headers=firm.viewer())
    return response


def test_the_overview_shows_progress_health_milestones_budget_and_time(http: TestClient, firm: Firm,
                                                                       seeded: Seeded) -> None:
    show(http, firm)
    overview = read(http, firm, "overview").json()
    assert overview["project"]["name"] == "Harbour fit-out"
    assert overview["progress"] == {"percent_complete": "37.5", "as_of": "2026-02-02"}
    assert overview["health"] == "at_risk"
    assert [(m["name"], m["state"], m["percent_complete"]) for m in overview["milestones"]] == [
        ("Survey", "completed", "100"), ("Design", "in_progress", "12.5")]
    assert overview["budget"] == {"mode": "full", "currency": "EUR", "budget": BUDGET_TOTAL,
                                  "used": COST_SO_FAR, "percent_used": "41.0", "revision": 1,
                                  "remaining": str(Decimal(BUDGET_TOTAL) - Decimal(COST_SO_FAR))}
    assert overview["time"] == {"total_hours": "13.50", "by_month": [{"month": "2026-01", "hours": "13.50"}]}
    kinds = [a["kind"] for a in overview["recent_activity"]]
    assert {"milestone_completed", "document_added", "change_order_sent"} <= set(kinds)


def test_hidden_sections_are_absent_from_the_overview_and_their_routes_404(http: TestClient, firm: Firm,
                                                                           seeded: Seeded) -> None:
    show(http, firm, **NOTHING_OPTIONAL)
    overview = read(http, firm, "overview").json()
    assert (overview["health"], overview["milestones"], overview["budget"], overview["time"]) == (
        None, None, None, None)
    assert [a["kind"] for a in overview["recent_activity"]] == ["change_order_sent"]
    for section in ("documents", "budget", "time", "tasks"):
        response = read(http, firm, section)
        assert response.status_code == 404, section
        assert response.headers["content-type"] == "application/problem+json"


def test_percent_only_budget_shows_the_share_and_no_amount(http: TestClient, firm: Firm,
                                                           seeded: Seeded) -> None:
    show(http, firm, budget="percent")
    assert read(http, firm, "budget").json()["usage"] == {"mode": "percent", "percent_used": "41.0"}
    (change_order,) = read(http, firm, "approvals").json()["pending"]
    assert change_order["change_order"]["cost_impact"] is None
    show(http, firm, budget="full")
    (change_order,) = read(http, firm, "approvals").json()["pending"]
    assert (change_order["change_order"]["cost_impact"], change_order["change_order"]["currency"]) == (
        "4200.00", "EUR")


def test_tasks_show_only_what_is_not_internal(http: TestClient, firm: Firm, seeded: Seeded) -> None:
    show(http, firm)
    tasks = read(http, firm, "tasks").json()["items"]
    assert [(t["id"], t["title"], t["state"]) for t in tasks] == [
        (str(seeded.visible_task), "Lay out the floor plan", "in_progress")]


def test_documents_list_their_versions_newest_first(http: TestClient, firm: Firm, seeded: Seeded) -> None:
    show(http, firm)
    firm.publish(DocumentVersionAddedV1(
        document_id=seeded.document, organisation_id=firm.organisation, project_id=firm.project,
        name="Floor plan (rev B)", version_number=2, size_bytes=4096, sha256="b" * 64,
        content_type="application/pdf", filename="plan-v2.pdf", uploaded_by="staff:x"), seeded.document)
    (document,) = read(http, firm, "documents").json()["items"]
    assert (document["name"], document["latest_version"]) == ("Floor plan (rev B)", 2)
    assert [v["version_number"] for v in document["versions"]] == [2, 1]
    assert document["versions"][1]["download"] == (
        f"/api/portal/projects/{firm.project}/documents/{seeded.document}/versions/1/content")


def test_my_projects_lists_what_is_granted_with_progress(http: TestClient, firm: Firm,
                                                         seeded: Seeded) -> None:
    show(http, firm, health=False)
    (mine,) = http.get("/api/portal/me/projects", headers=firm.viewer()).json()["items"]
    assert (mine["id"], mine["percent_complete"], mine["health"]) == (str(firm.project), "37.5", None)


# -- downloads ------------------------------------------------------------------------------

CONTENT = b"%PDF-1.7 the floor plan"


class OrganisationTokens:
    async def token_for(self, organisation_id: UUID, *, renew: bool = False) -> str:
        return f"token-of-{organisation_id}"


@pytest.fixture
def with_downloads(database_url: str) -> Iterator[tuple[Portal, TestClient, list[httpx.Request]]]:
    asked: list[httpx.Request] = []

    def planning(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, content=CONTENT)

    documents = PlanningDocuments("http://planning.test/api/planning/documents/{document_id}/versions/{version}"
                                  "/content", OrganisationTokens(), transport=httpx.MockTransport(planning))
    portal = build_portal(database_url, pool_size=2, documents=documents)
    app = new_http_app(title="portal", routers=portal.routers(), token_verifier=IDENTITIES.verifier())
    with TestClient(app) as client:
        yield portal, client, asked
    portal.close()


def test_a_client_downloads_a_version_they_were_shown(
        with_downloads: tuple[Portal, TestClient, list[httpx.Request]]) -> None:
    portal, http, asked = with_downloads
    firm = Firm.started(portal)
    document = uuid4()
    firm.publish(DocumentVersionAddedV1(
        document_id=document, organisation_id=firm.organisation, project_id=firm.project, name="Plan",
        version_number=1, size_bytes=len(CONTENT), sha256=hashlib.sha256(CONTENT).hexdigest(),
        content_type="application/pdf", filename="plan ü.pdf", uploaded_by="staff:x"), document)
    path = f"/api/portal/projects/{firm.project}/documents/{document}/versions/1/content"
    assert http.get(path, headers=firm.viewer()).status_code == 404, "not granted yet"
    assert not asked, "planning is not asked for what the portal refuses"
    http.put(f"/api/portal/projects/{firm.project}/access/{firm.viewer_id}", headers=firm.manager())
    response = http.get(path, headers=firm.viewer())
    assert response.status_code == 200
    assert response.content == CONTENT
    (asked_planning,) = asked
    assert asked_planning.headers["authorization"] == f"Bearer token-of-{firm.organisation}"
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''plan%20%C3%BC.pdf" in response.headers["content-disposition"]
    assert http.get(path.replace("/1/", "/2/"), headers=firm.viewer()).status_code == 404
    http.put(f"/api/portal/projects/{firm.project}/visibility", json={**EVERYTHING, "documents": False},
             headers=firm.manager())
    assert http.get(path, headers=firm.viewer()).status_code == 404, "documents hidden"


def test_without_a_configured_planning_downloads_answer_503(http: TestClient, firm: Firm,
                                                            seeded: Seeded) -> None:
    response = http.get(f"/api/portal/projects/{firm.project}/documents/{seeded.document}/versions/1/content",
                        headers=firm.viewer())
    assert response.status_code == 503
    assert response.json()["title"] == "Downloads unavailable"
