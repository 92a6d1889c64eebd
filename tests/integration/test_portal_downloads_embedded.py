"""Embedded mode (`make run`): a client user downloads, through the portal and over HTTP, the
documents a firm's staff uploaded to planning. The portal reads planning's store in process
(no token), and only ever passes on the bytes of the version it showed."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from uuid import UUID, uuid4

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.e2e.download_scenario import (
    FIRST,
    SharedDocument,
    assert_the_viewer_downloads_each_version,
    share_a_document,
    sign_up_firm,
    upload,
    wait_for,
)
from trellis_identity.application.passwords import fast_passwords
from trellis_local.embedded import create_embedded_app
from trellis_local.portal_documents import InProcessPlanningDocuments
from trellis_planning.wiring import build_planning
from trellis_portal.content.document_content import ContentUnavailable, ExpectedContent


@pytest.fixture(scope="module")
def http(module_database_url: str) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TRELLIS_DOCUMENT_STORE", raising=False)  # planning's chunks in PostgreSQL
        app = create_embedded_app(module_database_url)
    app.state.identity.application.passwords = fast_passwords()
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def shared(http: TestClient) -> SharedDocument:
    return share_a_document(http)


def test_a_granted_client_viewer_downloads_the_exact_bytes_of_each_version(
        http: TestClient, shared: SharedDocument) -> None:
    assert_the_viewer_downloads_each_version(http, shared)
    staff = http.get(shared.download_path(2), headers=shared.owner)
    assert staff.status_code == 200, "staff read the portal too"
    assert staff.content == shared.versions[2]


def test_what_the_viewer_was_not_shown_is_not_found(http: TestClient, shared: SharedDocument) -> None:
    assert http.get(shared.download_path(3), headers=shared.viewer).status_code == 404, "no such version"
    assert http.get(shared.download_path(0), headers=shared.viewer).status_code == 404
    unknown = http.get(shared.download_path(1, document_id=str(uuid4())), headers=shared.viewer)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert http.get(shared.download_path(1).replace("/1/content", "/one/content"),
                    headers=shared.viewer).status_code == 422


def test_a_client_user_without_a_grant_and_another_organisation_get_404(
        http: TestClient, shared: SharedDocument) -> None:
    assert http.get(shared.download_path(1), headers=shared.ungranted).status_code == 404
    _, stranger = sign_up_firm(http, "Other Ltd")
    assert http.get(shared.download_path(1), headers=stranger).status_code == 404
    assert http.get(shared.download_path(1)).status_code == 401


def test_stored_bytes_altered_behind_plannings_back_are_never_served(
        http: TestClient, shared: SharedDocument, module_database_url: str) -> None:
    content = b"%PDF-1.7 tampered later " + uuid4().bytes
    added = upload(http, shared.owner, f"/api/planning/documents/{shared.document_id}/versions", content)

    def shown() -> bool:
        answer = http.get(shared.download_path(added["number"]), headers=shared.viewer)
        return answer.status_code == 200

    wait_for("the third version in the portal", shown, 10)
    with psycopg.connect(module_database_url, autocommit=True) as conn:
        altered = conn.execute(
            "UPDATE planning.document_chunks SET data = overlay(data placing '\\x00'::bytea from 1 for 1)"
            " WHERE upload_id = (SELECT upload_id FROM planning.document_content WHERE sha256 = %s)",
            (hashlib.sha256(content).hexdigest(),))
        assert altered.rowcount == 1
    refused = http.get(shared.download_path(added["number"]), headers=shared.viewer)
    assert refused.status_code == 502
    assert refused.json()["title"] == "Content unavailable"
    assert content not in refused.content


# -- planning's side of the in-process source -------------------------------------------------

@pytest.fixture(scope="module")
def in_process(module_database_url: str, http: TestClient) -> Iterator[InProcessPlanningDocuments]:
    planning = build_planning(module_database_url, pool_size=2)
    yield InProcessPlanningDocuments(planning.application, planning.records.documents)
    planning.close()


def first_version(shared: SharedDocument, **changes: object) -> ExpectedContent:
    fields: dict[str, object] = {
        "organisation_id": UUID(shared.organisation_id), "document_id": UUID(shared.document_id),
        "version": 1, "size_bytes": len(FIRST), "sha256": hashlib.sha256(FIRST).hexdigest(), **changes}
    return ExpectedContent(**fields)  # type: ignore[arg-type]


async def read_all(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in chunks])


async def test_planning_serves_the_version_of_the_organisation_named(
        in_process: InProcessPlanningDocuments, shared: SharedDocument) -> None:
    assert await read_all(await in_process.open(first_version(shared))) == FIRST


@pytest.mark.parametrize("change", ["another organisation", "unknown document", "unknown version",
                                    "another size", "another digest"])
async def test_planning_refuses_what_does_not_match_its_own_record(
        in_process: InProcessPlanningDocuments, shared: SharedDocument, change: str) -> None:
    changes: dict[str, object] = {
        "another organisation": {"organisation_id": uuid4()},
        "unknown document": {"document_id": uuid4()},
        "unknown version": {"version": 9},
        "another size": {"size_bytes": len(FIRST) + 1},
        "another digest": {"sha256": hashlib.sha256(b"other").hexdigest()},
    }[change]
    with pytest.raises(ContentUnavailable):
        await in_process.open(first_version(shared, **changes))
