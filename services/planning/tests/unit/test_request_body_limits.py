"""Request bodies have a limit per route: 1 MiB for JSON commands, the document limit
for uploads; past it the answer is a 413 problem, whether or not Content-Length was sent."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from records_support import Organisation, in_memory_application, organisation, records_client, streamed_post

from trellis_planning.application.planning import PlanningApplication

MIB = 1024 * 1024


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


@pytest.fixture
def org(app: PlanningApplication) -> Organisation:
    return organisation(app)


@pytest.fixture
def client(app: PlanningApplication, tmp_path: Path) -> Iterator[TestClient]:
    with records_client(app, tmp_path, max_document_bytes=4 * MIB) as test_client:
        yield test_client


def test_a_chunked_json_body_over_a_mebibyte_is_a_413_not_a_parse_error(
    client: TestClient, org: Organisation
) -> None:
    chunks = [b'{"note": "', *([b"x" * 65536] * 32), b'"}']
    sent = streamed_post(
        client.app, "/api/planning/time-entries", {**org.member(), "content-type": "application/json"}, chunks
    )
    assert sent.status == 413
    body = json.loads(sent.body)
    assert (body["title"], body["detail"]) == (
        "Content too large",
        f"The request body exceeds the limit of {MIB} bytes.",
    )


def test_a_declared_json_body_over_a_mebibyte_is_refused_before_it_is_read(
    client: TestClient, org: Organisation
) -> None:
    response = client.post(
        "/api/planning/time-entries",
        content=b" " * (MIB + 1),
        headers={**org.member(), "content-type": "application/json"},
    )
    assert response.status_code == 413


def test_the_upload_route_takes_its_own_larger_limit_and_only_it(
    client: TestClient, org: Organisation
) -> None:
    three_mib = b"y" * (3 * MIB)
    upload = client.post(
        f"/api/planning/projects/{org.project_id}/documents",
        files={"file": ("big.bin", three_mib, "application/octet-stream")},
        headers=org.member(),
    )
    assert upload.status_code == 201, upload.text
    other_route = client.post(
        "/api/planning/resources",
        content=b" " * (3 * MIB),
        headers={**org.manager(), "content-type": "application/json"},
    )
    assert other_route.status_code == 413
