"""Schemathesis against the OpenAPI document of every service (the embedded app serves
them all): generated valid and invalid requests, as the owner of a real organisation so
they get past the wall to validation and the handlers, never answer with a server error
and always answer what the route declares (status code, content type, body schema).

A bounded number of examples per route, derandomized, so `make test` stays quick and CI
sees the same cases every run (the deeper coverage phase is a switch away, see below).
Every 4xx a route documents is a problem body (trellis_platform.problems), so error
answers are checked against the problem schema too. And every route that needs a token
answers 401 to no token and to a forged one, before it reads anything.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .embedded import Embedded

# make test: twenty generated cases per route (a minute or two for all of them on two cores).
# TRELLIS_SCHEMATHESIS_EXAMPLES=100 TRELLIS_SCHEMATHESIS_COVERAGE=1 for a deep run (the coverage
# phase adds every boundary and invalid value each parameter's schema implies: ~6,000 cases).
MAX_EXAMPLES = int(os.environ.get("TRELLIS_SCHEMATHESIS_EXAMPLES", "20"))
COVERAGE_PHASE = os.environ.get("TRELLIS_SCHEMATHESIS_COVERAGE", "") == "1"

CONFIG = schemathesis.Config.from_dict({
    "suppress-health-check": ["all"],
    "generation": {
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        # The owner's bearer token is sent with every case; a generated one would only be refused.
        "with-security-parameters": False,
    },
    "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": COVERAGE_PHASE}},
})

BASE_URL = "http://testserver"

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Operations that can end the caller's own session: after one, the owner logs in again.
SESSION_ENDERS = {
    ("POST", "/api/identity/logout"),
    ("POST", "/api/identity/tokens/revoke"),
    ("POST", "/api/identity/me/password"),
    ("POST", "/api/identity/users/{user_id}/sessions/revoke"),
}
# Operations on a staff user that would lock the owner out of the rest of the run when
# pointed at the owner (schemathesis reuses ids it saw in responses, /me among them).
OWNER_LOCKOUTS = {
    ("POST", "/api/identity/users/{user_id}/deactivate"),
    ("PUT", "/api/identity/users/{user_id}/roles"),
}


@pytest.fixture(scope="module")
def trellis_openapi(embedded: Embedded) -> BaseSchema:
    # The document, not the app: cases go through the fixture's client, whose app lifespan
    # outlives each test (see embedded.py).
    return schemathesis.openapi.from_dict(embedded.app.openapi(), config=CONFIG)


schema = schemathesis.pytest.from_fixture("trellis_openapi")


cases_seen: Counter[tuple[str, str]] = Counter()


def _still_signed_in(embedded: Embedded) -> bool:
    me = embedded.client.get("/api/identity/me", headers=embedded.owner.headers)
    return me.status_code == 200


@schema.parametrize()
@pytest.mark.timeout(900)  # one test for every route: pytest's 300 s is per test
def test_every_route_answers_within_its_schema_and_never_with_a_server_error(
    case: Case, embedded: Embedded,
) -> None:
    operation = (case.operation.method.upper(), case.operation.path)
    if operation in OWNER_LOCKOUTS and case.path_parameters and \
            case.path_parameters.get("user_id") == embedded.owner.user_id:
        case.path_parameters["user_id"] = embedded.seeded["user_id"]
    cases_seen[operation] += 1
    if case.path_parameters and cases_seen[operation] % 2 == 0:
        # Every other case names real objects of the owner's organisation instead of random ids.
        for name in case.path_parameters.keys() & embedded.seeded.keys():
            case.path_parameters[name] = embedded.seeded[name]
    response = case.call(base_url=BASE_URL, session=embedded.client, headers=embedded.owner.headers)
    case.validate_response(response, checks=CHECKS, headers=embedded.owner.headers)
    if operation in SESSION_ENDERS and not _still_signed_in(embedded):
        embedded.log_in_again()


@pytest.mark.parametrize("token", [None, "not-a-jwt", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_every_guarded_route_refuses_a_missing_or_forged_token(embedded: Embedded, token: str | None) -> None:
    document = embedded.app.openapi()
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    refused = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not operation.get("security"):
                continue
            concrete = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    value = embedded.seeded.get(parameter["name"], "00000000-0000-4000-8000-000000000000")
                    concrete = concrete.replace("{" + parameter["name"] + "}", value)
            response = embedded.client.request(method.upper(), concrete, headers=headers, json={})
            if response.status_code != 401 or not response.headers["content-type"].startswith(
                    "application/problem+json"):
                refused.append(f"{method.upper()} {path}: {response.status_code}")
    assert not refused, "\n".join(refused)
