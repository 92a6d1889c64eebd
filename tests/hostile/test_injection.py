"""SQL and header injection: every query parameter of every route (read from the OpenAPI
document, so a new filter or sort parameter is covered the day it appears) gets SQL
injection strings, odd unicode, NUL bytes and another tenant's ids; echoed headers get
CR/LF. The answer is a 4xx or an ordinary answer about the caller's own organisation,
never a server error, never another tenant's data, and every table is still there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import psycopg
import pytest
import requests

from .embedded import Embedded

CANARY = "public.hostile_canary"

INJECTIONS = {
    "or-true": "' OR 1=1 --",
    "or-true-unquoted": "1 OR 1=1",
    "stacked-drop": f"1; DROP TABLE {CANARY}; --",
    "quoted-drop": f"x'); DROP TABLE {CANARY}; --",
    "union": "x' UNION SELECT organisation_id::text FROM planning.planning_events --",
    "sort-drop": f"name DESC; DROP TABLE {CANARY}",
    "quotes": "'\"`;\\%_*",
    "comment": "*/ /* -- #",
    "unicode": "\u202e\u2028\u0301\u2603\U0001d518\ufeff\u00e9",
    "nul": "a\x00b",
    "only-nul": "\x00",
    "control": "\x01\x1b[31m\x7f",
    "long": "9" * 5_000,
    "huge-number": "9" * 40,
    "negative": "-1",
    "float": "1e309",
    "empty": "",
}

# Where a UUID is expected, the other organisation's real ids are the injection that matters.
OTHER_TENANT = "other-tenant"


@dataclass(frozen=True)
class QueryParameter:
    method: str
    path: str
    name: str
    operation: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ?{self.name}"


def query_parameters(document: dict[str, Any]) -> list[QueryParameter]:
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found.append(QueryParameter(method.upper(), path, parameter["name"], operation))
    return found


def _types(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return schema.get("anyOf", [schema])


def valid_value(schema: dict[str, Any], name: str, seeded: dict[str, str]) -> str:
    """An ordinary value for a parameter, so the request reaches the handler."""
    if name in seeded:
        return seeded[name]
    for option in _types(schema):
        if "enum" in option:
            return str(option["enum"][0])
        kind, form = option.get("type"), option.get("format")
        if form == "uuid":
            return str(uuid4())
        if form == "date":
            return "2026-03-02"
        if form == "date-time":
            return "2026-03-02T09:00:00Z"
        if kind == "integer":
            return str(max(1, int(option.get("minimum", 1))))
        if kind == "number":
            return "1"
        if kind == "boolean":
            return "true"
    return "x"


def request_for(parameter: QueryParameter, value: str, embedded: Embedded) -> tuple[str, dict[str, str]]:
    path = parameter.path
    query: dict[str, str] = {}
    for declared in parameter.operation.get("parameters", []):
        name, schema = declared["name"], declared.get("schema", {})
        if declared["in"] == "path":
            path = path.replace("{" + name + "}", valid_value(schema, name, embedded.seeded))
        elif declared["in"] == "query" and declared.get("required") and name != parameter.name:
            query[name] = valid_value(schema, name, embedded.seeded)
    query[parameter.name] = value
    return path, query


def foreign_markers(embedded: Embedded) -> set[str]:
    return {embedded.other.organisation_id, embedded.other.user_id, *embedded.others_seeded.values()}


def tables(database_url: str) -> set[tuple[str, str]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')").fetchall()
    return {(schema, name) for schema, name in rows}


@pytest.fixture(scope="module")
def canary(embedded: Embedded) -> Iterator[set[tuple[str, str]]]:
    """A table the injections name, and every table there was before they ran."""
    with psycopg.connect(embedded.database_url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {CANARY} (id int)")
    before = tables(embedded.database_url)
    yield before
    with psycopg.connect(embedded.database_url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {CANARY}")


def test_the_openapi_document_names_filter_and_sort_parameters(embedded: Embedded) -> None:
    names = {p.name for p in query_parameters(embedded.app.openapi())}
    # If these disappear the generated list below went blind, not safe.
    assert {"project_id", "from", "to", "limit", "cursor", "kind"} <= names


def test_injections_through_every_query_parameter_get_a_4xx_or_an_answer_about_our_own_data(
    embedded: Embedded, canary: set[tuple[str, str]],
) -> None:
    failures: list[str] = []
    foreign = foreign_markers(embedded)
    parameters = query_parameters(embedded.app.openapi())
    for parameter in parameters:
        payloads = dict(INJECTIONS)
        if parameter.name in embedded.others_seeded:
            payloads[OTHER_TENANT] = embedded.others_seeded[parameter.name]
        for label, value in payloads.items():
            path, query = request_for(parameter, value, embedded)
            response = embedded.client.request(parameter.method, path, params=query,
                                               headers=embedded.owner.headers)
            problem = _judge(response, foreign)
            if problem:
                failures.append(f"{parameter} = {label}: {problem}")
    assert not failures, "\n".join(failures)
    assert tables(embedded.database_url) == canary, "every table, the canary too, is still there"


def _judge(response: requests.Response, foreign: set[str]) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code} {response.text[:300]}"
    if response.status_code in (401, 403):
        return f"{response.status_code}: the owner's request did not get past the wall to the handler"
    if response.status_code >= 400:
        if not response.headers.get("content-type", "").startswith("application/problem+json"):
            return f"{response.status_code} without a problem body"
        return None
    leaked = [marker for marker in foreign if marker in response.text]
    if leaked:
        return f"{response.status_code} shows the other organisation's {leaked}"
    return None


def test_a_filter_naming_another_tenants_objects_finds_nothing(embedded: Embedded) -> None:
    """The filters that take ids, pointed at the other organisation's real objects."""
    theirs = embedded.others_seeded
    for path, query in [
        ("/api/planning/time-entries", {"project_id": theirs["project_id"]}),
        ("/api/planning/time-entries", {"task_id": theirs["task_id"]}),
        ("/api/planning/time-entries", {"person_id": theirs["resource_id"]}),
    ]:
        response = embedded.client.get(path, params=query, headers=embedded.owner.headers)
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            assert response.json()["items"] == [], f"{path}?{query} answers the other tenant's data"
        own = embedded.client.get(path, params=query, headers=embedded.other.headers)
        assert own.status_code == 200, own.text
        assert own.json()["items"], "the same filter finds the other organisation's own entry"


# --- headers --------------------------------------------------------------------------

CRLF_VALUES = {
    "crlf-header": "abc\r\nSet-Cookie: hijacked=1",
    "lf-header": "abc\nX-Injected: 1",
    "crlf-body": "abc\r\n\r\n<html>injected</html>",
    "control": "abc\x01\x7fdef",
    "long": "r" * 10_000,
}


def send_raw_header(client: requests.Session, method: str, path: str, name: str, value: str,
                    headers: dict[str, str], body: dict[str, Any] | None = None) -> requests.Response:
    """requests refuses CR/LF in a header value; a proxy in front might not, so the request
    is prepared with a clean value and the hostile one put in afterwards."""
    prepared = client.prepare_request(requests.Request(
        method, f"http://testserver{path}", headers={**headers, name: "placeholder"}, json=body))
    prepared.headers[name] = value
    return client.send(prepared)


def _injected(response: requests.Response) -> list[str]:
    problems = []
    for name, value in response.raw.headers.items():
        if "\r" in value or "\n" in value or any(ord(c) < 0x20 and c != "\t" for c in value):
            problems.append(f"{name} carries control characters: {value!r}")
        if name.lower() in ("set-cookie", "x-injected"):
            problems.append(f"an injected {name} header")
    if b"injected</html>" in response.content:
        problems.append("the injected body came back")
    return problems


@pytest.mark.parametrize("label", CRLF_VALUES)
@pytest.mark.parametrize("header", ["X-Request-Id", "traceparent", "If-None-Match", "Origin"])
def test_header_injection_is_not_echoed(embedded: Embedded, header: str, label: str) -> None:
    document = embedded.seeded["document_id"]
    for method, path in [("GET", f"/api/planning/projects/{embedded.seeded['project_id']}"),
                         ("GET", f"/api/planning/documents/{document}/content"),
                         ("GET", "/api/planning/projects/not-a-uuid"),
                         ("GET", "/healthz")]:
        response = send_raw_header(embedded.client, method, path, header, CRLF_VALUES[label],
                                   embedded.owner.headers)
        assert response.status_code < 500, response.text
        assert not _injected(response), f"{method} {path}: {_injected(response)}"
        echoed = response.headers.get("x-request-id", "")
        assert echoed, "a request id is always answered"
        assert len(echoed) <= 128


def test_a_path_parameter_that_comes_back_in_a_location_header_cannot_inject(embedded: Embedded) -> None:
    body = {"effective_from": "2026-01-01", "unit": "hour", "cost_rate": "50.00", "bill_rate": "90.00",
            "currency": "EUR"}
    for subject in ("roofer%0D%0ASet-Cookie:%20hijacked=1", "roofer%0AX-Injected:%201", "roofer%00"):
        response = embedded.client.post(f"/api/budget/rate-cards/role/{subject}/rates", json=body,
                                        headers=embedded.owner.headers)
        assert response.status_code < 500, response.text
        assert not _injected(response), _injected(response)


def test_injected_request_ids_are_not_stored_in_events(embedded: Embedded) -> None:
    created = send_raw_header(
        embedded.client, "POST", f"/api/planning/projects/{embedded.seeded['project_id']}/tasks",
        "X-Request-Id", CRLF_VALUES["crlf-header"], embedded.owner.headers, body={"title": "Check gutters"})
    assert created.status_code == 201, created.text
    with psycopg.connect(embedded.database_url) as conn:
        row = conn.execute("SELECT count(*) FROM planning.planning_events"
                           " WHERE position('hijacked'::bytea in state) > 0").fetchone()
    assert row == (0,), "the hostile request id is not in the audit trail"
