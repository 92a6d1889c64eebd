"""The authorisation matrix: every route of every service, generated from the embedded app's
OpenAPI document and its ``x-trellis-access`` policies, called by each kind of caller who
must be refused, and by one who must not.

- anonymous: 401 everywhere but the public routes, which are listed;
- another organisation's admin: 404 for anything of ours its role would reach, 403 where its
  role is not admitted; routes about its own organisation may answer, with nothing of ours;
- a client user of another client, and a client user of ours without a grant: refused
  (403 or 404) on our client's project and everything private to our staff;
- a viewer: 403 wherever the policy does not admit viewers (approvals are for approvers);
- each staff role (a member attempting an admin action, an analyst writing...): 403 wherever
  the policy does not admit it;
- and someone the policy admits gets a 2xx, so the refusals above are walls, not bad requests.

The world is seeded once, over HTTP, with real identity tokens (world.py); the example
requests are in requests.py, and a route without one fails here by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from trellis_identity.application.passwords import fast_passwords
from trellis_local.embedded import create_embedded_app
from trellis_platform.auth.access import ACCESS_EXTENSION

from .requests import EXAMPLES, PORTAL_CLIENT_SECRET, PUBLIC, UNCHECKED_REFERENCES, UNDECLARED, Call, build
from .world import EVERYTHING, STAFF_ROLES, Caller, World, seed

SERVICES = ("/api/identity/", "/api/planning/", "/api/portal/", "/api/budget/")
GENEROUS = "100000/min,burst=100000"
REFUSERS = ("another organisation's admin", "a client user of another client",
            "a client user without a grant")
OUR_CLIENT_USERS = ("viewer", "approver")
LEAST_PRIVILEGED_FIRST = ("auditor", "analyst", "member", "finance", "project_manager", "admin", "owner")


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    access: dict[str, Any] | None

    def __str__(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.template

    @property
    def public(self) -> bool:
        return self.access is None or bool(self.access.get("public"))

    @property
    def anyone(self) -> bool:
        return bool(self.access and self.access.get("anyone"))

    def admits(self, caller: Caller) -> bool:
        access = self.access or {}
        if self.public or self.anyone:
            return True
        if caller.kind == "staff":
            return caller.role in access.get("staff", [])
        if caller.kind == "client":
            wanted = access.get("client")
            return wanted is not None and (wanted == "viewer" or caller.role == "approver")
        return False


@pytest.fixture(scope="module")
def world(module_database_url: str) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as patch:
        # One test address logs in dozens of times: the sign-in throttles are not the subject here.
        for limit in ("ATTEMPTS_PER_ADDRESS", "SIGNUPS_PER_ADDRESS", "LOGIN_FAILURES_PER_EMAIL"):
            patch.setenv(f"TRELLIS_IDENTITY_{limit}", GENEROUS)
        patch.setenv("TRELLIS_PORTAL_CLIENT_SECRET", PORTAL_CLIENT_SECRET)
        app = create_embedded_app(module_database_url)
    # Still argon2id, with cheap parameters: the world signs in dozens of people.
    app.state.identity.application.passwords = fast_passwords()
    with TestClient(app) as http:
        yield seed(http)


@pytest.fixture(scope="module")
def routes(world: World) -> list[Route]:
    document = world.http.get("/openapi.json").json()
    return [Route(method.upper(), path, operation.get(ACCESS_EXTENSION))
            for path, operations in document["paths"].items() for method, operation in operations.items()]


def attempt(world: World, route: Route, caller: Caller, *,
            fresh: bool = False) -> tuple[Call, httpx.Response]:
    example = EXAMPLES.get(route.key)
    assert example is not None, f"{route} has no example request: add one to tests/walls/requests.py"
    ids = dict(world.ids)
    if fresh and example.fresh is not None:
        ids.update(example.fresh(world))
    call = build(route.method, route.template, example, ids)
    signed_in = example.own_session and caller.email is not None
    who = world.throwaway_session(caller) if signed_in else caller
    response = world.request(call.method, call.path, who, params=call.query, json=call.json, files=call.files)
    if signed_in:
        world.sign_in(caller)  # the call may have ended every other session of this person
    return call, response


def report(caller: Caller, call: Call, response: httpx.Response, wanted: str) -> str:
    excerpt = response.text[:300].replace("\n", " ")
    return f"{caller.name}: {call} answered {response.status_code}, wanted {wanted}: {excerpt}"


def forbidden_markers(world: World, caller: Caller) -> list[str]:
    return [marker for marker, tag in world.markers.items()
            if tag in caller.forbidden and marker != caller.user_id]


def test_every_route_is_in_the_matrix(routes: list[Route]) -> None:
    found = {route.key for route in routes}
    for prefix in SERVICES:
        assert any(template.startswith(prefix) for _, template in found), f"no {prefix} route is mounted"
    missing = sorted(str(route) for route in routes if route.key not in EXAMPLES)
    assert not missing, "routes with no example request in tests/walls/requests.py:\n" + "\n".join(missing)
    stale = sorted(f"{method} {template}" for method, template in set(EXAMPLES) - found)
    assert not stale, "examples for routes that no longer exist:\n" + "\n".join(stale)
    undeclared = sorted(str(r) for r in routes if r.access is None and r.key not in UNDECLARED)
    assert not undeclared, f"routes without an {ACCESS_EXTENSION} policy:\n" + "\n".join(undeclared)
    public = {route.key for route in routes if route.public}
    assert public == PUBLIC, f"public routes changed: {sorted(public ^ PUBLIC)}"
    unexplained = sorted(f"{method} {template}: {name}" for (method, template), example in EXAMPLES.items()
                         for name in example.unchecked if name not in UNCHECKED_REFERENCES)
    assert not unexplained, "unchecked references without a reason in UNCHECKED_REFERENCES:\n" + "\n".join(
        unexplained)


def test_anonymous_callers_are_401_everywhere_but_the_public_routes(world: World,
                                                                    routes: list[Route]) -> None:
    failures = []
    for route in routes:
        if route.public:
            continue
        call, response = attempt(world, route, world.anonymous)
        if response.status_code != 401:
            failures.append(report(world.anonymous, call, response, "401"))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", REFUSERS)
def test_what_is_not_yours_is_refused_and_never_shown(world: World, routes: list[Route], who: str) -> None:
    """A request naming something of ours (in its path or body) is refused: 404 where the
    caller's role would be admitted (another organisation's: as if it did not exist), 403 where
    it would not. Any other request is about the caller's own organisation, client or self:
    it may answer, with nothing of ours in the answer."""
    caller = world.callers[who]
    outsider = caller.forbidden == EVERYTHING
    markers = forbidden_markers(world, caller)
    told: set[str] = set()
    """Our ids the caller itself sent in fields the service cannot check: its own records name them."""
    failures = []
    for route in routes:
        if route.public:
            continue
        call, response = attempt(world, route, caller)
        status = response.status_code
        named = [m for m in markers if m in call.named()]
        shown = [m for m in markers if m in response.text and m not in told and m not in call.everything()]
        if not route.admits(caller):
            if status != 403:
                failures.append(report(caller, call, response, "403 (the policy does not admit the caller)"))
        elif named:
            wanted = {404} if outsider else {403, 404}
            if status not in wanted:
                failures.append(report(caller, call, response, f"{sorted(wanted)} (it names {named[0]})"))
        elif status >= 500:
            failures.append(report(caller, call, response, "an answer about the caller's own organisation"))
        elif status < 300:
            told.update(m for m in markers if m in call.echoed())
        if status < 300 and shown:
            failures.append(report(caller, call, response, f"nothing of ours, but it shows {shown[:3]}"))
    assert not failures, "\n".join(failures)


def test_a_viewer_is_refused_whatever_viewers_are_not_admitted_to(world: World, routes: list[Route]) -> None:
    viewer = world.callers["viewer"]
    refused = [route for route in routes if not route.public and not route.admits(viewer)]
    approver_only = {r.key for r in routes if r.access and r.access.get("client") == "approver"}
    assert approver_only, "no route is for approvers only any more"
    assert approver_only <= {route.key for route in refused}
    failures = []
    for route in refused:
        call, response = attempt(world, route, viewer)
        if response.status_code != 403:
            failures.append(report(viewer, call, response, "403"))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_staff_role_is_refused_whatever_its_role_is_not_admitted_to(world: World, routes: list[Route],
                                                                        role: str) -> None:
    """E.g. a member attempting an admin action, an analyst changing the plan, an owner deciding
    for the client."""
    caller = world.callers[role]
    failures = []
    for route in routes:
        if route.public or route.admits(caller):
            continue
        call, response = attempt(world, route, caller)
        if response.status_code != 403:
            failures.append(report(caller, call, response, "403"))
    assert not failures, "\n".join(failures)


def allowed_callers(world: World, route: Route) -> list[Caller]:
    """The least privileged staff role the policy admits, and the least privileged client user
    it admits: if they get through, the roles above them would."""
    if route.public:
        return [world.anonymous]
    if route.anyone:
        return [world.callers["owner"]]
    staff = next((world.callers[r] for r in LEAST_PRIVILEGED_FIRST if route.admits(world.callers[r])), None)
    client = next((world.callers[c] for c in OUR_CLIENT_USERS if route.admits(world.callers[c])), None)
    found = [caller for caller in (staff, client) if caller is not None]
    assert found, f"{route}: the policy admits nobody in the world"
    return found


def test_a_caller_the_policy_admits_succeeds(world: World, routes: list[Route]) -> None:
    """Last: these calls approve, revoke and delete (fresh objects where they use one up)."""
    failures = []
    for route in routes:
        for caller in allowed_callers(world, route):
            call, response = attempt(world, route, caller, fresh=True)
            good = 200 <= response.status_code < 300 or response.status_code in EXAMPLES[route.key].answered
            if not good:
                failures.append(report(caller, call, response, "2xx"))
    assert not failures, "\n".join(failures)
