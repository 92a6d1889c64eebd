"""A realistic world for the authorisation matrix, seeded only through the HTTP API with the
tokens the identity service issues.

Our organisation has a staff user of every role, two clients (A, whose project is the one
the walls guard, and B), client users of A (a viewer and an approver granted on the project,
and one never granted) and a user of B granted on B's own project; the project has milestones,
tasks, a dependency, a baseline, minutes, a document with two versions, a person resource
with a booking and a time entry, a budget with a rate card, an expense, a commitment and
change orders, portal grants and visibility, a thread, an approval and a survey. Another
organisation has its own admin, client and project.

Every id and name of ours is a *marker*, tagged with whose it is: a caller must never find
a marker it is not entitled to in an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import uuid4

import httpx
from fastapi.testclient import TestClient

from tests.e2e.processes import eventually

PASSWORD = "correct horse battery staple"
STAFF_ROLES = ("owner", "admin", "project_manager", "member", "finance", "analyst", "auditor")
PROPAGATION_SECONDS = 30.0

Tag = Literal["org", "client_a", "client_b", "private"]
"""Whose a marker is: the organisation's (its id and name), client A's (the client itself),
client B's (the client, its user and its project), or private to our staff and client A's
project (everything else)."""

EVERYTHING: frozenset[Tag] = frozenset({"org", "client_a", "client_b", "private"})


@dataclass
class Caller:
    name: str
    kind: Literal["staff", "client", "anonymous"]
    role: str | None
    email: str | None = None
    user_id: str | None = None
    forbidden: frozenset[Tag] = frozenset()
    """Markers this caller must never be shown."""
    headers: dict[str, str] = field(default_factory=dict)


def unique(prefix: str) -> str:
    return f"{prefix} {uuid4().hex[:10]}"


def expect(response: httpx.Response, *statuses: int) -> Any:
    """The JSON answer, after checking the status; the failure names the request."""
    if response.status_code not in statuses:
        raise AssertionError(f"seeding: {response.request.method} {response.request.url} answered "
                             f"{response.status_code}, wanted {statuses}: {response.text[:500]}")
    if response.content and "json" in response.headers.get("content-type", ""):
        return response.json()
    return None


class World:
    def __init__(self, http: TestClient) -> None:
        self.http = http
        self.ids: dict[str, str] = {}
        self.markers: dict[str, Tag] = {}
        self.callers: dict[str, Caller] = {}
        self.anonymous = Caller("anonymous", "anonymous", None)
        self._days_off = iter(range(1, 29))
        self._booking_days = iter(range(1, 29))

    # -- calling --------------------------------------------------------------------------

    def request(self, method: str, path: str, caller: Caller | None, **kwargs: Any) -> httpx.Response:
        headers = dict(caller.headers) if caller else {}
        response: httpx.Response = self.http.request(method, path, headers=headers, **kwargs)
        return response

    def as_(self, name: str, method: str, path: str, *statuses: int, **kwargs: Any) -> Any:
        return expect(self.request(method, path, self.callers[name], **kwargs), *(statuses or (200, 201)))

    def login(self, email: str) -> dict[str, Any]:
        answer: dict[str, Any] = expect(self.http.post("/api/identity/login",
                                                       json={"email": email, "password": PASSWORD}), 200)
        return answer

    def sign_in(self, caller: Caller) -> None:
        """(Again) a fresh session for the caller, e.g. after a route ended its sessions."""
        assert caller.email is not None
        caller.headers = {"Authorization": f"Bearer {self.login(caller.email)['access_token']}"}

    def throwaway_session(self, caller: Caller) -> Caller:
        """The same person in a session of its own, for routes that end or change sessions."""
        twin = Caller(caller.name, caller.kind, caller.role, caller.email, caller.user_id, caller.forbidden)
        if caller.email is not None:
            self.sign_in(twin)
        return twin

    def remember(self, key: str, value: str, tag: Tag | None = "private") -> str:
        self.ids[key] = value
        if tag is not None:
            self.markers[value] = tag
        return value

    def secret(self, text: str) -> str:
        """Words of ours (a note, a message, a file's content) that nobody else may read."""
        marked = unique(text)
        self.markers[marked] = "private"
        return marked

    def eventually(self, what: str, attempt: Callable[[], bool]) -> None:
        """Waits for an event to reach another service's read model (never a timed assertion:
        the deadline only turns a hang into a message)."""
        eventually(attempt, PROPAGATION_SECONDS, what=f"seeding: {what} propagated")

    # -- people ---------------------------------------------------------------------------

    def add_staff(self, name: str, role: str, by: str = "owner") -> Caller:
        email = f"{role}-{uuid4().hex[:10]}@walls.test"
        user = self.as_(by, "POST", "/api/identity/users", 201,
                        json={"email": email, "name": unique(name), "roles": [role], "password": PASSWORD})
        return Caller(name, "staff", role, email, str(user["id"]))

    def add_client_user(self, client_id: str, role: str, name: str) -> Caller:
        email = f"client-{uuid4().hex[:10]}@walls.test"
        user = self.as_("owner", "POST", f"/api/identity/clients/{client_id}/users", 201,
                        json={"email": email, "name": unique(name), "role": role, "password": PASSWORD})
        return Caller(name, "client", role, email, str(user["id"]))

    def enrol(self, caller: Caller, forbidden: frozenset[Tag], tag: Tag | None = "private") -> Caller:
        caller.forbidden = forbidden
        self.sign_in(caller)
        self.callers[caller.name] = caller
        if tag is not None and caller.user_id is not None:
            self.markers[caller.user_id] = tag
        return caller

    def grant(self, project_id: str, user_id: str) -> None:
        path = f"/api/portal/projects/{project_id}/access/{user_id}"

        def granted() -> bool:
            # 404 until the portal has heard of the project and of the client user.
            return self.request("PUT", path, self.callers["project_manager"]).status_code == 200

        self.eventually(f"the grant of {user_id} on {project_id}", granted)

    # -- fresh objects, for calls that use one up -----------------------------------------

    @property
    def plan(self) -> str:
        return f"/api/planning/projects/{self.ids['project_id']}"

    @property
    def resource(self) -> str:
        return f"/api/planning/resources/{self.ids['resource_id']}"

    def fresh_staff_user(self) -> str:
        return str(self.add_staff("spare", "member").user_id)

    def fresh_client_user(self) -> str:
        return str(self.add_client_user(self.ids["client_id"], "viewer", "spare client user").user_id)

    def fresh_granted_client_user(self) -> str:
        user = self.fresh_client_user()
        self.grant(self.ids["project_id"], user)
        return user

    def fresh_tokens(self) -> dict[str, Any]:
        spare = self.add_staff("spare", "member")
        assert spare.email is not None
        return self.login(spare.email)

    def fresh_api_key(self) -> str:
        key = {"name": unique("spare key"), "permissions": ["planning.projects:read"]}
        return str(self.as_("owner", "POST", "/api/identity/api-keys", 201, json=key)["id"])

    def fresh_project(self) -> str:
        return str(self.as_("project_manager", "POST", "/api/planning/projects", 201, json={
            "client_id": self.ids["client_id"], "name": unique("Spare project"),
            "starts_on": "2026-03-02", "ends_on": "2026-06-26"})["id"])

    def fresh_milestone(self) -> str:
        return str(self.as_("project_manager", "POST", f"{self.plan}/milestones", 201, json={
            "name": unique("Spare milestone"), "starts_on": "2026-03-02", "due_on": "2026-04-30"})["id"])

    def fresh_task(self) -> str:
        """Assigned to the member's person resource, so a member may work on it."""
        return str(self.as_("project_manager", "POST", f"{self.plan}/tasks", 201, json={
            "title": unique("Spare task"), "duration_days": 1,
            "assignee_ids": [self.ids["resource_id"]]})["task"]["id"])

    def fresh_task_pair(self) -> dict[str, str]:
        return {"predecessor_id": self.fresh_task(), "successor_id": self.fresh_task()}

    def fresh_dependency(self) -> dict[str, str]:
        pair = self.fresh_task_pair()
        self.as_("project_manager", "POST", f"{self.plan}/dependencies", 201, json={**pair, "type": "FS"})
        return pair

    def fresh_time_entry(self) -> str:
        return str(self.as_("project_manager", "POST", "/api/planning/time-entries", 201, json={
            "task_id": self.ids["task_id"], "person_id": self.ids["resource_id"],
            "worked_on": "2026-03-04", "minutes": 15})["id"])

    def fresh_booking(self) -> str:
        day = f"2026-04-{next(self._booking_days):02d}"
        return str(self.as_("project_manager", "POST", f"{self.resource}/bookings", 201, json={
            "project_id": self.ids["project_id"], "starts_on": day, "ends_on": day,
            "hours_per_day": "1"})["id"])

    def fresh_day_off(self) -> str:
        day = f"2026-06-{next(self._days_off):02d}"
        self.as_("project_manager", "PUT", f"{self.resource}/days-off/{day}", 200)
        return day

    def fresh_field(self) -> str:
        return str(self.as_("admin", "POST", "/api/planning/settings/custom-fields", 201,
                            json={"name": unique("Spare field"), "type": "text"})["id"])

    def fresh_naming_rule(self) -> str:
        rule = "task_title"
        self.as_("admin", "PUT", f"/api/planning/settings/naming-rules/{rule}", 200, json={"pattern": ".+"})
        return rule

    def fresh_expense(self) -> str:
        path = f"/api/budget/projects/{self.ids['project_id']}/expenses"
        return str(self.as_("finance", "POST", path, 201, json=expense_body(self.ids))["id"])

    def fresh_commitment(self) -> str:
        path = f"/api/budget/projects/{self.ids['project_id']}/commitments"
        return str(self.as_("finance", "POST", path, 201, json=commitment_body(self.ids))["id"])

    def fresh_change_order(self, *, sent: bool = False) -> str:
        path = f"/api/budget/projects/{self.ids['project_id']}/change-orders"
        order = str(self.as_("finance", "POST", path, 201, json=change_order_body(self.ids))["id"])
        if sent:
            self.as_("finance", "POST", f"/api/budget/change-orders/{order}/send", 200,
                     json={"sent_to": "Ada at client A"})
        return order

    def fresh_rate_subject(self) -> str:
        return f"spare-role-{uuid4().hex[:8]}"

    def fresh_approval(self) -> str:
        path = f"/api/portal/projects/{self.ids['project_id']}/approvals"
        return str(self.as_("project_manager", "POST", path, 201, json={
            "deliverable_kind": "milestone", "deliverable_id": self.ids["milestone_id"],
            "title": unique("Sign-off")})["id"])


def budget_lines(ids: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"category": "labour", "amount": "50000.00", "milestone_id": ids["milestone_id"]},
            {"category": "materials", "amount": "12000.00"}]


def expense_body(ids: Mapping[str, str]) -> dict[str, Any]:
    return {"category": "materials", "amount": "912.40", "currency": "EUR", "incurred_on": "2026-03-05",
            "receipt_document_id": ids["document_id"], "description": "Survey pegs"}


def commitment_body(ids: Mapping[str, str]) -> dict[str, Any]:
    return {"category": "subcontracts", "amount": "4000.00", "currency": "EUR", "supplier": "Steel & Co",
            "reference": f"PO-{uuid4().hex[:6]}", "expected_on": "2026-04-15"}


def change_order_body(ids: Mapping[str, str]) -> dict[str, Any]:
    return {"title": "Extra lighting", "scope": "Twelve more downlights in the lobby",
            "cost_impact": [{"category": "materials", "amount": "4200.00"}], "schedule_impact_days": 3}


def seed(http: TestClient) -> World:
    world = World(http)
    _organisations(world)
    _plan(world)
    _budget(world)
    _portal(world)
    world.ids["as_of"] = datetime.now(UTC).isoformat()
    return world


def _organisations(world: World) -> None:
    http = world.http
    ours, owner_email = unique("Walls Builders"), f"owner-{uuid4().hex[:10]}@walls.test"
    signed = expect(http.post("/api/identity/signup", json={
        "organisation_name": ours, "name": unique("Olivia Owner"), "email": owner_email,
        "password": PASSWORD}), 201)
    world.remember("organisation_id", str(signed["organisation_id"]), "org")
    world.markers[ours] = "org"
    world.enrol(Caller("owner", "staff", "owner", owner_email, str(signed["user_id"])), frozenset())
    for role in STAFF_ROLES[1:]:
        world.enrol(world.add_staff(role, role), frozenset())

    # Someone whose account and sessions the routes about users and tokens name.
    bystander = world.add_staff("bystander", "analyst")
    assert bystander.email is not None
    world.remember("user_id", str(bystander.user_id))
    world.ids["login_email"] = bystander.email
    world.remember("victim_token", str(world.login(bystander.email)["access_token"]))

    clients: tuple[tuple[str, Tag], ...] = (("client_id", "client_a"), ("client_b_id", "client_b"))
    for key, tag in clients:
        name = unique(f"Client {key}")
        world.remember(key, str(world.as_("owner", "POST", "/api/identity/clients", 201,
                                          json={"name": name})["id"]), tag)
        world.markers[name] = tag
    a, b = world.ids["client_id"], world.ids["client_b_id"]
    hidden_from_a: frozenset[Tag] = frozenset({"client_b", "private"})
    hidden_from_b: frozenset[Tag] = frozenset({"client_a", "private"})
    world.enrol(world.add_client_user(a, "viewer", "viewer"), hidden_from_a)
    world.enrol(world.add_client_user(a, "approver", "approver"), hidden_from_a)
    world.enrol(world.add_client_user(a, "approver", "a client user without a grant"), hidden_from_a)
    world.enrol(world.add_client_user(b, "approver", "a client user of another client"), hidden_from_b,
                tag="client_b")
    world.ids["viewer_id"] = str(world.callers["viewer"].user_id)
    world.ids["approver_id"] = str(world.callers["approver"].user_id)
    world.remember("api_key_id", world.fresh_api_key())
    key = world.as_("owner", "POST", "/api/identity/api-keys", 201,
                    json={"name": unique("ERP"), "permissions": ["planning.projects:read"]})
    world.remember("api_key_secret", str(key["secret"]))

    theirs, their_email = unique("Other Org"), f"other-{uuid4().hex[:10]}@elsewhere.test"
    expect(http.post("/api/identity/signup", json={
        "organisation_name": theirs, "name": unique("Oscar Other"), "email": their_email,
        "password": PASSWORD}), 201)
    their_owner = Caller("their owner", "staff", "owner", their_email)
    world.sign_in(their_owner)
    world.callers["their owner"] = their_owner
    admin = world.add_staff("another organisation's admin", "admin", by="their owner")
    world.enrol(admin, EVERYTHING, tag=None)
    their_client = world.as_("their owner", "POST", "/api/identity/clients", 201,
                             json={"name": "Their client"})
    world.as_("their owner", "POST", "/api/planning/projects", 201, json={
        "client_id": their_client["id"], "name": "Their project", "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"})
    del world.callers["their owner"]


def _plan(world: World) -> None:
    pm = "project_manager"
    name = unique("Harbour Bridge")
    world.markers[name] = "private"
    world.remember("project_id", str(world.as_(pm, "POST", "/api/planning/projects", 201, json={
        "client_id": world.ids["client_id"], "name": name, "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"})["id"]))
    world.remember("project_b_id", str(world.as_(pm, "POST", "/api/planning/projects", 201, json={
        "client_id": world.ids["client_b_id"], "name": unique("Client B project"), "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"})["id"]), "client_b")
    for key in ("completed_milestone_id", "milestone_id"):
        world.remember(key, world.fresh_milestone())

    member = world.callers["member"]
    resource = world.as_(pm, "POST", "/api/planning/resources", 201, json={
        "kind": "person", "name": unique("Mia Member"), "role": "surveyor", "user_id": member.user_id,
        "hours_per_day": "8"})
    world.remember("resource_id", str(resource["id"]))
    tasks = []
    for title in ("Survey the site", "Pour the footings", "Raise the deck"):
        created = world.as_(pm, "POST", f"{world.plan}/tasks", 201, json={
            "title": unique(title), "milestone_id": world.ids["milestone_id"], "duration_days": 2,
            "estimate_minutes": 600, "assignee_ids": [world.ids["resource_id"]]})
        tasks.append(str(created["task"]["id"]))
    world.remember("first_task_id", tasks[0])
    world.remember("task_id", tasks[1])
    world.remember("other_task_id", tasks[2])
    world.ids["predecessor_id"], world.ids["successor_id"] = tasks[0], tasks[1]
    world.as_(pm, "POST", f"{world.plan}/dependencies", 201,
              json={"predecessor_id": tasks[0], "successor_id": tasks[1], "type": "FS", "lag_days": 0})
    settings = world.as_(pm, "GET", "/api/planning/settings", 200)
    default = next(w for w in settings["workflows"] if w["id"] == "default")
    world.ids["next_status"] = default["transitions"][default["initial"]][0]
    world.ids["workflow_id"], world.ids["subject"] = "walls-flow", "milestone_name"

    baseline = world.as_(pm, "POST", f"{world.plan}/baselines", 201, json={"name": "Signed plan"})
    world.remember("baseline_id", str(baseline["id"]))
    notes, content = world.secret("Agreed the survey dates"), world.secret("north arrow, datum, pegs")
    minutes = world.as_(pm, "POST", f"{world.plan}/minutes", 201, json={
        "title": "Kick-off", "held_on": "2026-03-02", "attendees": [{"name": "Ada Client"}],
        "notes": notes, "decisions": ["Start on Monday"]})
    world.remember("minutes_id", str(minutes["minutes"]["id"]))
    world.remember("field_id", world.fresh_field())
    upload = {"file": ("site-plan.txt", content.encode(), "text/plain")}
    document = world.as_(pm, "POST", f"{world.plan}/documents", 201, files=upload)
    world.remember("document_id", str(document["id"]))
    world.as_(pm, "POST", f"/api/planning/documents/{document['id']}/versions", 201,
              files={"file": ("site-plan.txt", f"{content}, levels".encode(), "text/plain")})
    world.remember("entry_id", world.fresh_time_entry())
    world.remember("booking_id", world.fresh_booking())
    world.ids["day_off"], world.ids["one"] = "2026-05-05", "1"
    world.as_(pm, "PUT", f"{world.resource}/days-off/{world.ids['day_off']}", 200)
    template = world.as_(pm, "POST", f"{world.plan}/save-as-template", 201,
                         json={"name": unique("Bridge template")})
    world.remember("template_id", str(template["id"]))
    world.as_(pm, "POST", f"/api/planning/milestones/{world.ids['completed_milestone_id']}/completion", 200)


def _budget(world: World) -> None:
    finance, project = "finance", world.ids["project_id"]
    world.as_(finance, "POST", f"/api/budget/projects/{project}/budget", 201,
              json={"currency": "EUR", "lines": budget_lines(world.ids)})
    world.ids["rate_kind"], world.ids["rate_subject"] = "role", "surveyor"
    rate = world.as_(finance, "POST", "/api/budget/rate-cards/role/surveyor/rates", 201, json={
        "effective_from": "2026-01-01", "unit": "hour", "cost_rate": "61.00", "bill_rate": "95.00",
        "currency": "EUR"})
    world.remember("period_id", str(rate["period_id"]))
    world.remember("expense_id", world.fresh_expense())
    world.remember("commitment_id", world.fresh_commitment())
    world.remember("change_order_id", world.fresh_change_order(sent=True))
    world.as_(finance, "PUT", f"/api/budget/projects/{project}/thresholds", 200,
              json={"percents": ["50", "80"], "eac_above_budget": True})
    world.as_(finance, "PUT", "/api/budget/reporting-currency", 200, json={"currency": "EUR"})
    world.as_(finance, "POST", "/api/budget/exchange-rates", 201, json={
        "base": "USD", "quote": "EUR", "on": "2026-03-02", "rate": "0.92", "source": "ECB"})

    def heard_of_the_plan() -> bool:
        report = world.as_(finance, "GET", f"/api/budget/projects/{project}/earned-value", 200)
        return any(milestone["name"] for milestone in report["milestones"])

    world.eventually("the project and its milestones, to the budget", heard_of_the_plan)


def _portal(world: World) -> None:
    pm, project = "project_manager", world.ids["project_id"]
    for who in ("viewer", "approver"):
        world.grant(project, world.ids[f"{who}_id"])
    world.grant(world.ids["project_b_id"], str(world.callers["a client user of another client"].user_id))
    world.as_(pm, "PUT", f"/api/portal/projects/{project}/visibility", 200, json={
        "milestones": True, "tasks": True, "documents": True, "time": True, "health": True, "budget": "full"})
    thread = world.as_(pm, "POST", f"/api/portal/projects/{project}/threads", 201,
                       json={"subject": "Kick-off", "body": world.secret("Welcome to the project")})
    world.remember("thread_id", str(thread["id"]))
    world.remember("approval_id", world.fresh_approval())

    viewer = world.callers["viewer"]

    def shown(section: str, ready: Callable[[Any], bool]) -> Callable[[], bool]:
        def attempt() -> bool:
            answer = world.request("GET", f"/api/portal/projects/{project}/{section}", viewer)
            return answer.status_code == 200 and ready(answer.json())
        return attempt

    world.eventually("the survey of the completed milestone", shown("surveys", lambda a: bool(a["items"])))
    surveys = world.as_("viewer", "GET", f"/api/portal/projects/{project}/surveys", 200)
    world.remember("survey_id", str(surveys["items"][0]["id"]))
    world.eventually("the document's versions", shown("documents", lambda a: any(
        item["latest_version"] == 2 for item in a["items"])))
    world.eventually("the budget", shown("budget", lambda a: True))
    world.eventually("the change order", shown("approvals", lambda a: any(
        i["subject"] == "change_order" for i in a["pending"])))
