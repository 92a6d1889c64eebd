"""An example request for every route of the embedded app: its path parameters (resolved by
name from the world's ids), its query and its body, and how to make it again on a fresh
object when the call uses one up.

A route the OpenAPI document lists and this table does not fails the matrix, by name: a new
route is covered the day it appears.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from .world import PASSWORD, World, budget_lines, change_order_body, commitment_body, expense_body, unique

Ids = Mapping[str, str]
Body = Callable[[Ids], Any]
Fresh = Callable[[World], dict[str, str]]

# Answer without a token: how a caller gets one, what verifies one, and whether the process lives.
PUBLIC = {
    ("GET", "/api/identity/.well-known/jwks.json"),
    ("GET", "/api/identity/.well-known/openid-configuration"),
    ("POST", "/api/identity/signup"),
    ("POST", "/api/identity/login"),
    ("POST", "/api/identity/refresh"),
    ("POST", "/api/identity/service-tokens"),
    ("POST", "/api/identity/internal-tokens"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}
# Liveness and readiness answer load balancers, which carry no token; they declare no policy.
UNDECLARED = {("GET", "/healthz"), ("GET", "/readyz")}


@dataclass(frozen=True)
class Example:
    params: Mapping[str, str] = field(default_factory=dict)
    """Path parameter -> world id, where the name alone is ambiguous (a client user's user_id)."""
    query: Body | None = None
    body: Body | None = None
    upload: bool = False
    fresh: Fresh | None = None
    """Seeds what the allowed call uses up (approves, deletes, revokes), as world id overrides."""
    own_session: bool = False
    """The call ends or changes the caller's own sessions: made in a throwaway session."""
    unchecked: tuple[str, ...] = ()
    """Body fields naming another service's objects, which this service cannot look up (see
    UNCHECKED_REFERENCES): another organisation may send our ids there and gets an answer
    about its own organisation, echoing them."""
    answered: frozenset[int] = frozenset()
    """An answer other than 2xx that still proves the walls were passed (see its reason)."""


UNCHECKED_REFERENCES = {
    "client_id": "planning does not know clients (identity owns them; the portal joins a project to its "
                 "client's users within the organisation), so a project may name any client id",
}

PORTAL_CLIENT_SECRET = "walls-portal-client-secret-0123456789abcdef"
"""Identity's internal client ``portal``, configured for the matrix's app."""


def staff_email(_: Ids) -> str:
    return f"new-{uuid4().hex[:10]}@walls.test"


def rate(_: Ids) -> dict[str, Any]:
    return {"effective_from": "2027-01-01", "unit": "hour", "cost_rate": "70.00", "bill_rate": "99.00",
            "currency": "EUR"}


def user_of(key: str) -> Fresh:
    return lambda world: {key: world.fresh_staff_user()}


EXAMPLES: dict[tuple[str, str], Example] = {
    # -- identity: sessions and tokens ----------------------------------------------------
    ("GET", "/api/identity/.well-known/jwks.json"): Example(),
    ("GET", "/api/identity/.well-known/openid-configuration"): Example(),
    ("POST", "/api/identity/signup"): Example(body=lambda ids: {
        "organisation_name": unique("Newcomer"), "name": "Nia New", "email": staff_email(ids),
        "password": PASSWORD}),
    ("POST", "/api/identity/login"): Example(body=lambda ids: {"email": ids["login_email"],
                                                               "password": PASSWORD}),
    ("POST", "/api/identity/refresh"): Example(
        body=lambda ids: {"refresh_token": ids["refresh_token"]},
        fresh=lambda world: {"refresh_token": str(world.fresh_tokens()["refresh_token"])}),
    ("POST", "/api/identity/service-tokens"): Example(body=lambda ids: {"api_key": ids["api_key_secret"]}),
    ("POST", "/api/identity/internal-tokens"): Example(body=lambda ids: {
        "client": "portal", "secret": PORTAL_CLIENT_SECRET, "organisation_id": ids["organisation_id"]}),
    ("POST", "/api/identity/logout"): Example(own_session=True),
    ("GET", "/api/identity/token/status"): Example(),
    ("POST", "/api/identity/tokens/revoke"): Example(
        body=lambda ids: {"token": ids["victim_token"]},
        fresh=lambda world: {"victim_token": str(world.fresh_tokens()["access_token"])}),
    # -- identity: the organisation, users, clients, keys ---------------------------------
    ("GET", "/api/identity/organisation"): Example(),
    ("GET", "/api/identity/me"): Example(),
    ("POST", "/api/identity/me/password"): Example(
        own_session=True, body=lambda _: {"current_password": PASSWORD, "new_password": PASSWORD}),
    ("POST", "/api/identity/users"): Example(body=lambda ids: {
        "email": staff_email(ids), "name": "Sam Staff", "roles": ["member"], "password": PASSWORD}),
    ("GET", "/api/identity/users"): Example(),
    ("GET", "/api/identity/users/{user_id}"): Example(),
    ("PUT", "/api/identity/users/{user_id}/roles"): Example(body=lambda _: {"roles": ["auditor"]},
                                                            fresh=user_of("user_id")),
    ("POST", "/api/identity/users/{user_id}/deactivate"): Example(fresh=user_of("user_id")),
    ("POST", "/api/identity/users/{user_id}/sessions/revoke"): Example(fresh=user_of("user_id")),
    ("GET", "/api/identity/clients"): Example(),
    ("POST", "/api/identity/clients"): Example(body=lambda _: {"name": unique("New client")}),
    ("GET", "/api/identity/clients/{client_id}"): Example(),
    ("POST", "/api/identity/clients/{client_id}/users"): Example(body=lambda ids: {
        "email": staff_email(ids), "name": "Cat Client", "role": "viewer", "password": PASSWORD}),
    ("GET", "/api/identity/clients/{client_id}/users"): Example(),
    ("GET", "/api/identity/clients/{client_id}/users/{user_id}"): Example(params={"user_id": "viewer_id"}),
    ("DELETE", "/api/identity/clients/{client_id}/users/{user_id}"): Example(
        params={"user_id": "viewer_id"}, fresh=lambda world: {"viewer_id": world.fresh_client_user()}),
    ("PUT", "/api/identity/clients/{client_id}/users/{user_id}/role"): Example(
        params={"user_id": "viewer_id"}, body=lambda _: {"role": "approver"},
        fresh=lambda world: {"viewer_id": world.fresh_client_user()}),
    ("GET", "/api/identity/api-keys"): Example(),
    ("POST", "/api/identity/api-keys"): Example(body=lambda _: {
        "name": unique("BI"), "permissions": ["budget.reports:read"]}),
    ("DELETE", "/api/identity/api-keys/{key_id}"): Example(
        params={"key_id": "api_key_id"}, fresh=lambda world: {"api_key_id": world.fresh_api_key()}),
    # -- planning: projects, templates, settings ------------------------------------------
    ("POST", "/api/planning/projects"): Example(unchecked=("client_id",), body=lambda ids: {
        "client_id": ids["client_id"], "name": unique("New project"), "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"}),
    ("GET", "/api/planning/projects/{project_id}"): Example(),
    ("GET", "/api/planning/templates"): Example(),
    ("GET", "/api/planning/templates/{template_id}"): Example(),
    ("POST", "/api/planning/projects/from-template"): Example(unchecked=("client_id",), body=lambda ids: {
        "template_id": ids["template_id"], "client_id": ids["client_id"], "name": unique("From template"),
        "starts_on": "2026-03-02"}),
    ("POST", "/api/planning/projects/{project_id}/save-as-template"): Example(
        body=lambda _: {"name": unique("Template")}),
    ("GET", "/api/planning/settings"): Example(),
    ("POST", "/api/planning/settings/custom-fields"): Example(
        body=lambda _: {"name": unique("Field"), "type": "number"}),
    ("PATCH", "/api/planning/settings/custom-fields/{field_id}"): Example(body=lambda _: {"required": False}),
    ("DELETE", "/api/planning/settings/custom-fields/{field_id}"): Example(
        fresh=lambda world: {"field_id": world.fresh_field()}),
    ("PUT", "/api/planning/settings/workflows/{workflow_id}"): Example(body=lambda _: {
        "name": "Walls flow",
        "statuses": [{"key": "open", "name": "Open", "category": "todo"},
                     {"key": "closed", "name": "Closed", "category": "done"}],
        "transitions": {"open": ["closed"], "closed": ["open"]}}),
    ("PUT", "/api/planning/settings/naming-rules/{subject}"): Example(body=lambda _: {"pattern": ".+"}),
    ("DELETE", "/api/planning/settings/naming-rules/{subject}"): Example(
        fresh=lambda world: {"subject": world.fresh_naming_rule()}),
    ("PUT", "/api/planning/settings/calendar"): Example(body=lambda _: {"weekend_days": [5, 6]}),
    # -- planning: the plan ---------------------------------------------------------------
    ("POST", "/api/planning/projects/{project_id}/milestones"): Example(body=lambda _: {
        "name": unique("Handover"), "starts_on": "2026-05-04", "due_on": "2026-06-19"}),
    ("GET", "/api/planning/projects/{project_id}/milestones"): Example(),
    ("GET", "/api/planning/milestones/{milestone_id}"): Example(),
    ("PATCH", "/api/planning/milestones/{milestone_id}"): Example(body=lambda _: {"due_on": "2026-05-08"}),
    ("POST", "/api/planning/milestones/{milestone_id}/completion"): Example(
        fresh=lambda world: {"milestone_id": world.fresh_milestone()}),
    ("POST", "/api/planning/projects/{project_id}/tasks"): Example(body=lambda _: {"title": unique("Task")}),
    ("GET", "/api/planning/projects/{project_id}/tasks"): Example(),
    ("GET", "/api/planning/tasks/{task_id}"): Example(),
    ("PATCH", "/api/planning/tasks/{task_id}"): Example(body=lambda _: {"priority": "high"}),
    ("POST", "/api/planning/tasks/{task_id}/status"): Example(
        body=lambda ids: {"status": ids["next_status"]},
        fresh=lambda world: {"task_id": world.fresh_task()}),
    ("POST", "/api/planning/projects/{project_id}/tasks/bulk"): Example(
        body=lambda ids: {"task_ids": [ids["other_task_id"]], "priority": "urgent"}),
    ("POST", "/api/planning/projects/{project_id}/dependencies"): Example(
        body=lambda ids: {"predecessor_id": ids["predecessor_id"], "successor_id": ids["successor_id"],
                          "type": "SS"},
        fresh=lambda world: world.fresh_task_pair()),
    ("GET", "/api/planning/projects/{project_id}/dependencies"): Example(),
    ("DELETE", "/api/planning/projects/{project_id}/dependencies"): Example(
        query=lambda ids: {"predecessor_id": ids["predecessor_id"], "successor_id": ids["successor_id"]},
        fresh=lambda world: world.fresh_dependency()),
    ("GET", "/api/planning/projects/{project_id}/schedule"): Example(),
    ("POST", "/api/planning/projects/{project_id}/schedule/recompute"): Example(),
    ("POST", "/api/planning/projects/{project_id}/baselines"): Example(
        body=lambda _: {"name": unique("Re-plan")}),
    ("GET", "/api/planning/projects/{project_id}/baselines"): Example(),
    ("GET", "/api/planning/projects/{project_id}/baselines/{baseline_id}/comparison"): Example(),
    ("GET", "/api/planning/projects/{project_id}/board"): Example(),
    ("POST", "/api/planning/projects/{project_id}/board/moves"): Example(
        body=lambda ids: {"task_id": ids["task_id"], "to_status": ids["next_status"]},
        fresh=lambda world: {"task_id": world.fresh_task()}),
    ("GET", "/api/planning/projects/{project_id}/timeline"): Example(
        query=lambda ids: {"baseline_id": ids["baseline_id"]}),
    ("POST", "/api/planning/projects/{project_id}/minutes"): Example(body=lambda _: {
        "title": "Weekly", "held_on": "2026-03-09", "attendees": [{"name": "Ada Client"}],
        "action_items": [{"title": "Send the levels"}]}),
    ("GET", "/api/planning/projects/{project_id}/minutes"): Example(),
    ("GET", "/api/planning/minutes/{minutes_id}"): Example(),
    ("GET", "/api/planning/projects/{project_id}/progress"): Example(),
    ("POST", "/api/planning/projects/{project_id}/progress/refresh"): Example(),
    # -- planning: time, resources, documents ---------------------------------------------
    ("POST", "/api/planning/time-entries"): Example(body=lambda ids: {
        "task_id": ids["task_id"], "person_id": ids["resource_id"], "worked_on": "2026-03-05",
        "minutes": 30}),
    ("GET", "/api/planning/time-entries"): Example(query=lambda ids: {"project_id": ids["project_id"]}),
    ("GET", "/api/planning/time-entries/{entry_id}"): Example(),
    ("PATCH", "/api/planning/time-entries/{entry_id}"): Example(body=lambda _: {"minutes": 45}),
    ("DELETE", "/api/planning/time-entries/{entry_id}"): Example(
        fresh=lambda world: {"entry_id": world.fresh_time_entry()}),
    ("POST", "/api/planning/resources"): Example(body=lambda _: {
        "kind": "equipment", "name": unique("Crane"), "hours_per_day": "8"}),
    ("GET", "/api/planning/resources"): Example(),
    ("GET", "/api/planning/resources/{resource_id}"): Example(),
    ("PUT", "/api/planning/resources/{resource_id}/capacity"): Example(
        body=lambda _: {"hours_per_day": "7.5", "working_weekdays": [1, 2, 3, 4, 5]}),
    ("GET", "/api/planning/resources/{resource_id}/capacity"): Example(
        query=lambda _: {"from": "2026-03-02", "to": "2026-03-29"}),
    ("PUT", "/api/planning/resources/{resource_id}/days-off/{day}"): Example(params={"day": "day_off"}),
    ("DELETE", "/api/planning/resources/{resource_id}/days-off/{day}"): Example(
        params={"day": "day_off"}, fresh=lambda world: {"day_off": world.fresh_day_off()}),
    ("POST", "/api/planning/resources/{resource_id}/bookings"): Example(body=lambda ids: {
        "project_id": ids["project_id"], "starts_on": "2026-05-11", "ends_on": "2026-05-12",
        "hours_per_day": "2"}),
    ("GET", "/api/planning/resources/{resource_id}/bookings"): Example(),
    ("GET", "/api/planning/resources/{resource_id}/bookings/{booking_id}"): Example(),
    ("DELETE", "/api/planning/resources/{resource_id}/bookings/{booking_id}"): Example(
        fresh=lambda world: {"booking_id": world.fresh_booking()}),
    ("GET", "/api/planning/capacity"): Example(query=lambda _: {"from": "2026-03-02", "to": "2026-03-29"}),
    ("POST", "/api/planning/projects/{project_id}/documents"): Example(upload=True),
    ("GET", "/api/planning/projects/{project_id}/documents"): Example(),
    ("POST", "/api/planning/documents/{document_id}/versions"): Example(upload=True),
    ("GET", "/api/planning/documents/{document_id}/versions"): Example(),
    ("GET", "/api/planning/documents/{document_id}"): Example(),
    ("GET", "/api/planning/documents/{document_id}/versions/{number}"): Example(params={"number": "one"}),
    ("GET", "/api/planning/documents/{document_id}/versions/{number}/content"): Example(
        params={"number": "one"}),
    ("GET", "/api/planning/documents/{document_id}/content"): Example(),
    # -- portal ---------------------------------------------------------------------------
    ("GET", "/api/portal/projects/{project_id}"): Example(),
    ("GET", "/api/portal/projects"): Example(),
    ("GET", "/api/portal/projects/{project_id}/access"): Example(),
    ("PUT", "/api/portal/projects/{project_id}/access/{client_user_id}"): Example(
        params={"client_user_id": "viewer_id"}),
    ("DELETE", "/api/portal/projects/{project_id}/access/{client_user_id}"): Example(
        params={"client_user_id": "viewer_id"},
        fresh=lambda world: {"viewer_id": world.fresh_granted_client_user()}),
    ("PUT", "/api/portal/projects/{project_id}/visibility"): Example(body=lambda _: {
        "milestones": True, "tasks": True, "documents": True, "time": True, "health": True,
        "budget": "full"}),
    ("GET", "/api/portal/me/projects"): Example(),
    ("GET", "/api/portal/projects/{project_id}/overview"): Example(),
    ("GET", "/api/portal/projects/{project_id}/documents"): Example(),
    ("GET", "/api/portal/projects/{project_id}/budget"): Example(),
    ("GET", "/api/portal/projects/{project_id}/time"): Example(),
    ("GET", "/api/portal/projects/{project_id}/tasks"): Example(),
    ("GET", "/api/portal/projects/{project_id}/approvals"): Example(),
    ("POST", "/api/portal/projects/{project_id}/approvals"): Example(body=lambda ids: {
        "deliverable_kind": "document", "deliverable_id": ids["document_id"], "document_version": 2,
        "title": unique("Approve the site plan")}),
    ("GET", "/api/portal/projects/{project_id}/threads"): Example(),
    ("POST", "/api/portal/projects/{project_id}/threads"): Example(
        body=lambda _: {"subject": "Access to site", "body": "Gate code?"}),
    ("GET", "/api/portal/projects/{project_id}/surveys"): Example(),
    ("GET", "/api/portal/projects/{project_id}/surveys/results"): Example(),
    ("GET", "/api/portal/projects/{project_id}/documents/{document_id}/versions/{version}/content"): Example(
        params={"version": "one"}),
    ("POST", "/api/portal/projects/{project_id}/approvals/{approval_id}/approve"): Example(
        body=lambda _: {"comment": "Looks right"},
        fresh=lambda world: {"approval_id": world.fresh_approval()}),
    ("POST", "/api/portal/projects/{project_id}/approvals/{approval_id}/reject"): Example(
        body=lambda _: {"comment": "Wrong datum"},
        fresh=lambda world: {"approval_id": world.fresh_approval()}),
    ("POST", "/api/portal/projects/{project_id}/threads/{thread_id}/messages"): Example(
        body=lambda _: {"body": "Thanks"}),
    ("POST", "/api/portal/projects/{project_id}/surveys/{survey_id}/responses"): Example(
        body=lambda _: {"csat": 4, "nps": 9, "comment": "Tidy site"}),
    ("GET", "/api/portal/client-view"): Example(
        query=lambda ids: {"user": ids["viewer_id"], "as_of": ids["as_of"]}),
    ("GET", "/api/portal/projects/{project_id}/client-view"): Example(
        query=lambda ids: {"user": ids["viewer_id"], "as_of": ids["as_of"]}),
    # -- budget ---------------------------------------------------------------------------
    ("POST", "/api/budget/projects/{project_id}/budget"): Example(
        body=lambda _: {"currency": "EUR", "lines": [{"category": "labour", "amount": "1000.00"}]},
        fresh=lambda world: {"project_id": world.fresh_project()}),
    ("GET", "/api/budget/projects/{project_id}/budget"): Example(),
    ("POST", "/api/budget/projects/{project_id}/budget/revisions"): Example(
        body=lambda ids: {"lines": budget_lines(ids), "reason": "Re-measured"}),
    ("POST", "/api/budget/rate-cards/{kind}/{subject}/rates"): Example(
        params={"kind": "rate_kind", "subject": "rate_subject"}, body=rate,
        fresh=lambda world: {"rate_subject": world.fresh_rate_subject()}),
    ("PUT", "/api/budget/rate-cards/{kind}/{subject}/rates/{period_id}"): Example(
        params={"kind": "rate_kind", "subject": "rate_subject"}, body=lambda _: {
            "unit": "hour", "cost_rate": "62.00", "bill_rate": "96.00", "currency": "EUR",
            "reason": "Indexation"}),
    ("GET", "/api/budget/rate-cards/{kind}/{subject}"): Example(
        params={"kind": "rate_kind", "subject": "rate_subject"}),
    ("POST", "/api/budget/projects/{project_id}/expenses"): Example(body=expense_body),
    ("POST", "/api/budget/expenses/{expense_id}/void"): Example(
        body=lambda _: {"reason": "Entered twice"},
        fresh=lambda world: {"expense_id": world.fresh_expense()}),
    ("GET", "/api/budget/expenses/{expense_id}"): Example(),
    ("POST", "/api/budget/projects/{project_id}/commitments"): Example(body=commitment_body),
    ("POST", "/api/budget/commitments/{commitment_id}/release"): Example(
        body=lambda _: {"reason": "invoiced"},
        fresh=lambda world: {"commitment_id": world.fresh_commitment()}),
    ("GET", "/api/budget/commitments/{commitment_id}"): Example(),
    ("POST", "/api/budget/projects/{project_id}/change-orders"): Example(body=change_order_body),
    ("POST", "/api/budget/change-orders/{change_order_id}/send"): Example(
        body=lambda _: {"sent_to": "Ada at client A"},
        fresh=lambda world: {"change_order_id": world.fresh_change_order()}),
    ("POST", "/api/budget/change-orders/{change_order_id}/approve"): Example(
        body=lambda _: {"note": "Agreed on site"},
        fresh=lambda world: {"change_order_id": world.fresh_change_order(sent=True)}),
    ("POST", "/api/budget/change-orders/{change_order_id}/reject"): Example(
        body=lambda _: {"reason": "Out of scope"},
        fresh=lambda world: {"change_order_id": world.fresh_change_order(sent=True)}),
    ("GET", "/api/budget/change-orders/{change_order_id}"): Example(),
    ("PUT", "/api/budget/projects/{project_id}/thresholds"): Example(
        body=lambda _: {"percents": ["50", "75", "90"]}),
    ("GET", "/api/budget/projects/{project_id}/thresholds"): Example(),
    ("PUT", "/api/budget/reporting-currency"): Example(body=lambda _: {"currency": "EUR"}),
    ("GET", "/api/budget/exchange-rates"): Example(),
    ("POST", "/api/budget/exchange-rates"): Example(body=lambda _: {
        "base": "GBP", "quote": "EUR", "on": "2026-03-02", "rate": "1.17", "source": "ECB"}),
    ("GET", "/api/budget/projects/{project_id}/earned-value"): Example(query=lambda _: {"on": "2026-04-01"}),
    ("GET", "/api/budget/projects/{project_id}/earned-value/series"): Example(
        query=lambda _: {"from": "2026-03-02", "to": "2026-04-27"}),
    ("GET", "/api/budget/projects/{project_id}/ledger"): Example(),
    ("GET", "/api/budget/projects/{project_id}/costs"): Example(),
    ("GET", "/api/budget/projects/{project_id}/burn"): Example(),
    ("GET", "/api/budget/reports/costs"): Example(),
    # -- the process ----------------------------------------------------------------------
    ("GET", "/healthz"): Example(),
    ("GET", "/readyz"): Example(),
}

UPLOAD = {"file": ("levels.txt", b"datum 12.40, deck 18.95", "text/plain")}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str] | None
    json: Any
    files: dict[str, tuple[str, bytes, str]] | None
    unchecked: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def named(self) -> str:
        """What the request names as objects to act on: its path and its body, less the fields
        this service cannot look up."""
        body = self.json
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k not in self.unchecked}
        return self.path + " " + json.dumps(body)

    def everything(self) -> str:
        return self.path + " " + json.dumps(self.query) + " " + json.dumps(self.json)

    def echoed(self) -> str:
        """What the request says that an answer may echo back: its query and unchecked fields."""
        body = self.json if isinstance(self.json, dict) else {}
        fields = {k: v for k, v in body.items() if k in self.unchecked}
        return json.dumps(self.query) + json.dumps(fields)


PARAMETER = re.compile(r"\{(\w+)\}")


def build(method: str, template: str, example: Example, ids: Ids) -> Call:
    def resolve(found: re.Match[str]) -> str:
        name = found.group(1)
        key = example.params.get(name, name)
        if key not in ids:
            raise AssertionError(f"{method} {template}: the world has no {key!r} for {{{name}}}")
        return ids[key]

    return Call(
        method=method, path=PARAMETER.sub(resolve, template),
        query=example.query(ids) if example.query else None,
        json=example.body(ids) if example.body else None,
        files=dict(UPLOAD) if example.upload else None,
        unchecked=example.unchecked,
    )
