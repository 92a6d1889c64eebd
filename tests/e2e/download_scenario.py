"""A firm shares a document with its client, over HTTP, in either run mode: staff upload it
to planning, a manager grants a client viewer the project and shows documents, and the
viewer downloads it through the portal. Written against any httpx.Client (a TestClient
of the embedded app, or a client of the gateway)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import httpx

from tests.e2e.processes import eventually

PASSWORD = "correct horse battery staple"
# Every byte value, and more than one chunk of 64 KiB: what arrives is what was uploaded.
FIRST = bytes(range(256)) * 300
SECOND = FIRST[::-1] + b"revision B"


@dataclass
class SharedDocument:
    organisation_id: str
    project_id: str
    document_id: str
    versions: dict[int, bytes]
    owner: dict[str, str]
    viewer: dict[str, str]
    """A client user of the project's client with a grant on it."""
    ungranted: dict[str, str]
    """A client user of the same client, without a grant."""

    def download_path(self, version: int, document_id: str | None = None) -> str:
        return (f"/api/portal/projects/{self.project_id}/documents/{document_id or self.document_id}"
                f"/versions/{version}/content")


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: " \
                                           f"{response.status_code} {response.text[:300]}"
    return response.json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def log_in(http: httpx.Client, email: str) -> dict[str, str]:
    return _bearer(_ok(http.post("/api/identity/login", json={"email": email, "password": PASSWORD}))[
        "access_token"])


def wait_for(what: str, attempt: Callable[[], bool], timeout: float) -> None:
    eventually(attempt, timeout, interval=0.1, what=what)


def sign_up_firm(http: httpx.Client, name: str = "Acme Builders") -> tuple[str, dict[str, str]]:
    email = f"owner-{uuid4().hex[:10]}@acme.test"
    signed = _ok(http.post("/api/identity/signup", json={
        "organisation_name": name, "name": "Olivia Owner", "email": email, "password": PASSWORD}), 201)
    return str(signed["organisation_id"]), log_in(http, email)


def client_user(http: httpx.Client, owner: dict[str, str], client_id: str) -> tuple[str, dict[str, str]]:
    email = f"client-{uuid4().hex[:10]}@customer.test"
    user = _ok(http.post(f"/api/identity/clients/{client_id}/users", headers=owner, json={
        "email": email, "name": "Cat Client", "role": "viewer", "password": PASSWORD}), 201)
    return str(user["id"]), log_in(http, email)


def upload(http: httpx.Client, owner: dict[str, str], path: str, content: bytes) -> Any:
    files = {"file": ("site plan.pdf", content, "application/pdf")}
    return _ok(http.post(path, headers=owner, files=files), 201)


def share_a_document(http: httpx.Client, *, timeout: float = 10) -> SharedDocument:
    organisation_id, owner = sign_up_firm(http)
    client_id = str(_ok(http.post("/api/identity/clients", headers=owner, json={"name": "Harbour Board"}),
                        201)["id"])
    viewer_id, viewer = client_user(http, owner, client_id)
    _, ungranted = client_user(http, owner, client_id)
    project_id = str(_ok(http.post("/api/planning/projects", headers=owner, json={
        "client_id": client_id, "name": "Harbour fit-out", "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"}), 201)["id"])
    document_id = str(upload(http, owner, f"/api/planning/projects/{project_id}/documents", FIRST)["id"])
    upload(http, owner, f"/api/planning/documents/{document_id}/versions", SECOND)

    # 404 until the portal has heard of the project and of the client user.
    wait_for("the grant", lambda: http.put(f"/api/portal/projects/{project_id}/access/{viewer_id}",
                                           headers=owner).status_code == 200, timeout)
    _ok(http.put(f"/api/portal/projects/{project_id}/visibility", headers=owner, json={
        "milestones": True, "tasks": True, "documents": True, "time": True, "health": True,
        "budget": "full"}))

    def both_versions_shown() -> bool:
        shown = http.get(f"/api/portal/projects/{project_id}/documents", headers=viewer)
        return shown.status_code == 200 and any(
            item["id"] == document_id and item["latest_version"] == 2 for item in shown.json()["items"])

    wait_for("the document's versions in the portal", both_versions_shown, timeout)
    return SharedDocument(organisation_id=organisation_id, project_id=project_id, document_id=document_id,
                          versions={1: FIRST, 2: SECOND}, owner=owner, viewer=viewer, ungranted=ungranted)


def assert_the_viewer_downloads_each_version(http: httpx.Client, shared: SharedDocument) -> None:
    for number, content in shared.versions.items():
        response = http.get(shared.download_path(number), headers=shared.viewer)
        assert response.status_code == 200, response.text[:300]
        assert response.content == content
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-length"] == str(len(content))
        assert "filename*=UTF-8''site%20plan.pdf" in response.headers["content-disposition"]
