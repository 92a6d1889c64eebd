"""Oversized bodies and deeply nested JSON are refused early, with a problem body, both by
the embedded app and through the gateway in front of a service: nothing is parsed in
full, nothing is stored, and no process runs out of recursion or memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.gateway.servers import ServerThread, start
from trellis_gateway.app import create_gateway_app
from trellis_gateway.server import server_config
from trellis_planning.wiring import build_planning
from trellis_platform.auth.caller import StaffRole
from trellis_platform.body_limit import DEFAULT_MAX_BODY_BYTES
from trellis_platform.http_app import new_http_app
from trellis_platform.json_depth import DEFAULT_MAX_JSON_DEPTH, JsonTooDeep, NestingCounter
from trellis_platform.testing.identities import TestIdentities, bearer

from .embedded import Embedded

MIB = 1_048_576
# The document limit (TRELLIS_DOCUMENT_MAX_BYTES, 25 MiB by default) plus the multipart framing.
BEYOND_ANY_UPLOAD = 40 * MIB


def nested_arrays(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_project(depth: int) -> bytes:
    """A project whose name is buried under ``depth`` arrays: valid JSON, never a valid body."""
    return (b'{"client_id": "3f1c6a8e-2b7d-4c55-9a0e-5d2f8b1c7e40", "starts_on": "2026-03-02", '
            b'"ends_on": "2026-06-26", "name": ' + nested_arrays(depth) + b"}")


def deep_custom_values(depth: int) -> bytes:
    """A task whose free-form custom values nest ``depth`` objects deep."""
    value: object = "x"
    for _ in range(depth):
        value = {"a": value}
    return json.dumps({"title": "Order steel", "custom_values": {"notes": value}}).encode()


class CountingBody:
    """A streamed request body that counts how much of it the server pulled."""

    def __init__(self, total: int, chunk: int = MIB) -> None:
        self.total = total
        self.chunk = chunk
        self.pulled = 0

    def __iter__(self) -> Iterator[bytes]:
        while self.pulled < self.total:
            size = min(self.chunk, self.total - self.pulled)
            self.pulled += size
            yield b"x" * size


def multipart_head(boundary: str) -> bytes:
    return (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()


def assert_problem(response: requests.Response | httpx.Response, expected: int) -> dict[str, object]:
    assert response.status_code == expected, response.content[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, object] = json.loads(response.content)
    assert problem["status"] == expected
    assert problem["detail"]
    return problem


def stored_events(database_url: str, schema: str = "planning") -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {schema}.planning_events").fetchone()
    assert row is not None
    return int(row[0])


# --- the nesting counter itself ---------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\[]{}\u00e9 ', max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.text(alphabet='k"\\[{', max_size=3), children, max_size=3),
    max_leaves=30,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


def feed_all(counter: NestingCounter, pieces: list[bytes]) -> None:
    for piece in pieces:
        counter.feed(piece)


@given(value=json_values, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=6))
@settings(deadline=None)
def test_the_counter_finds_the_real_depth_however_the_body_is_cut(value: object, cuts: list[int]) -> None:
    text = json.dumps(value, ensure_ascii=False).encode()
    depth = depth_of(value)
    pieces, last = [], 0
    for cut in sorted(c % (len(text) + 1) for c in cuts):
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])

    enough = NestingCounter(limit=depth)
    feed_all(enough, pieces)
    assert enough.depth == 0
    if depth > 0:
        with pytest.raises(JsonTooDeep):
            feed_all(NestingCounter(limit=depth - 1), pieces)


# --- the embedded app -------------------------------------------------------------------

def post(embedded: Embedded, path: str, body: bytes | CountingBody, **headers: str) -> requests.Response:
    # A generator, which schemathesis's ASGI client streams chunk by chunk.
    data = iter(body) if isinstance(body, CountingBody) else body
    return embedded.client.post(path, data=data, headers={
        "content-type": "application/json", **embedded.owner.headers, **headers})


@pytest.mark.parametrize("depth", [DEFAULT_MAX_JSON_DEPTH + 1, 1_000, 10_000, 100_000])
def test_deeply_nested_json_is_refused_before_it_is_parsed(embedded: Embedded, depth: int) -> None:
    before = stored_events(embedded.database_url)
    for body in (nested_arrays(depth), deep_project(depth)):
        response = post(embedded, "/api/planning/projects", body)
        problem = assert_problem(response, 422)
        assert f"deeper than {DEFAULT_MAX_JSON_DEPTH}" in str(problem["detail"])
    assert stored_events(embedded.database_url) == before


def test_nesting_inside_a_free_form_field_is_refused_and_ordinary_nesting_is_not(embedded: Embedded) -> None:
    tasks = f"/api/planning/projects/{embedded.seeded['project_id']}/tasks"
    before = stored_events(embedded.database_url)
    refused = post(embedded, tasks, deep_custom_values(DEFAULT_MAX_JSON_DEPTH + 1))
    assert_problem(refused, 422)
    assert stored_events(embedded.database_url) == before
    # Brackets inside strings are text, not nesting.
    title = "[" * 250 + "{" * 50
    accepted = post(embedded, tasks, json.dumps({"title": title}).encode())
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["task"]["title"] == title


def test_an_oversized_json_body_is_refused_by_its_declared_length_without_reading_it(
    embedded: Embedded,
) -> None:
    body = CountingBody(8 * MIB)
    response = post(embedded, "/api/planning/projects", body, **{"content-length": str(body.total)})
    assert_problem(response, 413)
    assert body.pulled <= MIB, "at most the first chunk was read"


def test_an_oversized_streamed_json_body_is_refused_once_past_the_limit(embedded: Embedded) -> None:
    body = CountingBody(8 * MIB, chunk=64 * 1024)
    response = post(embedded, "/api/planning/projects", body)
    assert_problem(response, 413)
    assert body.pulled <= DEFAULT_MAX_BODY_BYTES + body.chunk


def _upload(embedded: Embedded, body: CountingBody | Iterator[bytes], boundary: str,
            **headers: str) -> requests.Response:
    path = f"/api/planning/projects/{embedded.seeded['project_id']}/documents"
    data = iter(body) if isinstance(body, CountingBody) else body
    return embedded.client.post(path, data=data, headers={
        "content-type": f"multipart/form-data; boundary={boundary}", **embedded.owner.headers, **headers})


def _documents(embedded: Embedded) -> int:
    listed = embedded.client.get(f"/api/planning/projects/{embedded.seeded['project_id']}/documents",
                                 headers=embedded.owner.headers)
    assert listed.status_code == 200, listed.text
    return len(listed.json()["items"])


def test_an_oversized_upload_is_refused_by_its_declared_length_without_reading_it(embedded: Embedded) -> None:
    before = _documents(embedded)
    body = CountingBody(BEYOND_ANY_UPLOAD)
    response = _upload(embedded, body, "b0undary", **{"content-length": str(body.total)})
    assert_problem(response, 413)
    assert body.pulled <= MIB
    assert _documents(embedded) == before


def test_an_oversized_streamed_upload_is_refused_once_past_the_limit_and_nothing_is_kept(
    embedded: Embedded,
) -> None:
    before = _documents(embedded)
    boundary = "b0undary"
    file = CountingBody(BEYOND_ANY_UPLOAD)

    def body() -> Iterator[bytes]:
        yield multipart_head(boundary)
        yield from file

    response = _upload(embedded, body(), boundary)
    assert_problem(response, 413)
    assert file.pulled < BEYOND_ANY_UPLOAD, "the server stopped reading at its limit"
    assert _documents(embedded) == before


# --- through the gateway, in front of a real service ------------------------------------

IDENTITIES = TestIdentities()
ORGANISATION = uuid4()
OWNER = bearer(IDENTITIES.staff(ORGANISATION, StaffRole.OWNER))


@pytest.fixture(scope="module")
def gateway(module_database_url: str) -> Iterator[httpx.Client]:
    planning = build_planning(module_database_url, pool_size=2)
    service = start(new_http_app(title="Trellis planning", routers=planning.routers(),
                                 token_verifier=IDENTITIES.verifier()))
    gateway: ServerThread | None = None
    try:
        gateway = start(create_gateway_app({"planning": service.url}, verifier=IDENTITIES.verifier()),
                        make_config=server_config)
        with httpx.Client(base_url=gateway.url, headers=OWNER, timeout=60) as client:
            yield client
    finally:
        if gateway is not None:
            gateway.stop()
        service.stop()
        planning.close()


def _project(client: httpx.Client) -> UUID:
    created = client.post("/api/planning/projects", json={
        "client_id": str(uuid4()), "name": "Warehouse roof", "starts_on": "2026-03-02",
        "ends_on": "2026-06-26"})
    assert created.status_code == 201, created.text
    return UUID(created.json()["id"])


@pytest.mark.parametrize("depth", [DEFAULT_MAX_JSON_DEPTH + 1, 10_000, 100_000])
def test_the_service_behind_the_gateway_refuses_deep_json(gateway: httpx.Client, depth: int) -> None:
    for body in (nested_arrays(depth), deep_project(depth)):
        response = gateway.post("/api/planning/projects", content=body,
                                headers={"content-type": "application/json"})
        assert_problem(response, 422)
    assert gateway.get("/api/planning/templates").status_code == 200, "the service is still answering"


def test_the_gateway_refuses_an_oversized_json_body(gateway: httpx.Client) -> None:
    declared = CountingBody(8 * MIB)
    response = gateway.post("/api/planning/projects", content=iter(declared), headers={
        "content-type": "application/json", "content-length": str(declared.total)})
    assert_problem(response, 413)
    streamed = gateway.post("/api/planning/projects", content=iter(CountingBody(8 * MIB)),
                            headers={"content-type": "application/json"})
    assert_problem(streamed, 413)


def test_the_gateway_refuses_an_oversized_upload(gateway: httpx.Client) -> None:
    project = _project(gateway)
    path = f"/api/planning/projects/{project}/documents"
    boundary = "b0undary"
    declared = gateway.post(path, content=iter(CountingBody(BEYOND_ANY_UPLOAD)), headers={
        "content-type": f"multipart/form-data; boundary={boundary}",
        "content-length": str(BEYOND_ANY_UPLOAD)})
    assert_problem(declared, 413)

    def streamed_body() -> Iterator[bytes]:
        yield multipart_head(boundary)
        yield from CountingBody(BEYOND_ANY_UPLOAD)

    streamed = gateway.post(path, content=streamed_body(),
                            headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert_problem(streamed, 413)
    # The first read of planning's records view on a log of one event (this project's):
    # it used to loop for ever (see records_postgres.py).
    listed = gateway.get(f"/api/planning/projects/{project}/documents")
    assert listed.status_code == 200
    assert listed.json()["items"] == []
