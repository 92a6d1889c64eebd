"""The embedded app, every service's routes in one process, called in-process the way
schemathesis calls it, as the owner of an organisation that signed up for real and has
some real objects (a project, its tasks, a person, time logged, a document...).

Requests go through schemathesis's in-process ASGI client (a requests.Session), so the
seeding, the schemathesis cases and the other tests call the app the same way, on the one
event loop schemathesis runs apps on. The app's lifespan (relays, the portal's projector)
runs on that loop too, started and stopped by the fixture: schemathesis ends the lifespans
it started itself after every test, which would close the services under the next test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import requests
from fastapi import FastAPI

# Private to schemathesis, and pinned with it in uv.lock: its shared event loop, and its
# lifespan driver.
from schemathesis.python.asgi import ASGIClient, _get_portal, _Lifespan

from tests.e2e.accounts import PASSWORD, Account


@dataclass
class Embedded:
    app: FastAPI
    database_url: str
    client: ASGIClient
    owner: Account
    other: Account
    # Path parameter name -> the id of a real object of the owner's organisation.
    seeded: dict[str, str] = field(default_factory=dict)
    # The same for the other organisation: what must never show up in the owner's answers.
    others_seeded: dict[str, str] = field(default_factory=dict)

    def log_in_again(self) -> None:
        """A fresh token for the owner, after a case ended the owner's session."""
        self.owner.access_token = log_in(self.client, self.owner.email)


class RunningApp:
    """The app's lifespan, running on schemathesis's event loop until ``stop()``."""

    def __init__(self, app: FastAPI) -> None:
        self._lifespan = _Lifespan(app, _get_portal())
        self._lifespan.start()
        # Not entered as a context manager: that would start a lifespan schemathesis ends.
        self.client = ASGIClient(app)

    def stop(self) -> None:
        self._lifespan.stop()


def log_in(client: requests.Session, email: str) -> str:
    token: str = _tokens(client, email)["access_token"]
    return token


def _tokens(client: requests.Session, email: str) -> dict[str, Any]:
    tokens = client.post("/api/identity/login", json={"email": email, "password": PASSWORD})
    assert tokens.status_code == 200, tokens.text
    body: dict[str, Any] = tokens.json()
    return body


def sign_up(client: requests.Session, organisation: str) -> Account:
    email = f"owner-{uuid4().hex[:12]}@acme.test"
    signed = client.post("/api/identity/signup", json={
        "organisation_name": organisation, "name": "Olivia Owner", "email": email, "password": PASSWORD})
    assert signed.status_code == 201, signed.text
    tokens = _tokens(client, email)
    return Account(organisation_id=signed.json()["organisation_id"], user_id=signed.json()["user_id"],
                   email=email, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"])


def _created(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def seed(client: requests.Session, owner: Account) -> dict[str, str]:
    """Real objects of the owner's organisation, by the path parameter that names them."""
    auth = owner.headers
    client_id = _created(client.post("/api/identity/clients", headers=auth, json={"name": "Northwind"}))["id"]
    member = _created(client.post("/api/identity/users", headers=auth, json={
        "email": f"member-{uuid4().hex[:8]}@acme.test", "name": "Max Member", "roles": ["member"],
        "password": PASSWORD}))
    project = _created(client.post("/api/planning/projects", headers=auth, json={
        "client_id": client_id, "name": "Warehouse roof", "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"}))
    project_id = project["id"]
    milestone = _created(client.post(f"/api/planning/projects/{project_id}/milestones", headers=auth, json={
        "name": "Structure", "starts_on": "2026-03-02", "due_on": "2026-04-30"}))
    task = _created(client.post(f"/api/planning/projects/{project_id}/tasks", headers=auth, json={
        "title": "Order steel", "milestone_id": milestone["id"], "estimate_minutes": 600}))["task"]
    person = _created(client.post("/api/planning/resources", headers=auth, json={
        "kind": "person", "name": "Rita Roofer", "role": "roofer", "hours_per_day": 8}))
    entry = _created(client.post("/api/planning/time-entries", headers=auth, json={
        "task_id": task["id"], "person_id": person["id"], "worked_on": "2026-03-03", "minutes": 90}))
    document = _created(client.post(
        f"/api/planning/projects/{project_id}/documents", headers=auth, params={"name": "Drawings"},
        files={"file": ("roof.pdf", b"%PDF-1.7 roof drawings", "application/pdf")}))
    return {
        "client_id": client_id,
        "user_id": member["id"],
        "project_id": project_id,
        "milestone_id": milestone["id"],
        "task_id": task["id"],
        "resource_id": person["id"],
        "entry_id": entry["id"],
        "document_id": document["id"],
    }
