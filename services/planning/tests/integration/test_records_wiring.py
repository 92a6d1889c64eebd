"""Planning as both run modes build it (``build_planning``), on PostgreSQL, with the
document store chosen by TRELLIS_DOCUMENT_STORE: an upload over HTTP lands in the chosen
store, downloads intact, appears in the project's list, and is refused past the limit."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from fastapi.testclient import TestClient

from trellis_planning.storage.disk_documents import DiskDocumentStore
from trellis_planning.storage.postgres_documents import PostgresDocumentStore
from trellis_planning.wiring import build_planning
from trellis_platform.auth.caller import StaffRole
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

identities = TestIdentities()
ORG = uuid4()
MEMBER = bearer(identities.staff(ORG, StaffRole.MEMBER, subject="ann"))


@pytest.fixture(params=["postgres", "disk"])
def store_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("TRELLIS_DOCUMENT_STORE", request.param)
    monkeypatch.setenv("TRELLIS_DOCUMENT_DIR", str(tmp_path / "documents"))
    monkeypatch.setenv("TRELLIS_DOCUMENT_MAX_BYTES", str(2 * 1024 * 1024))
    kind: str = request.param
    return kind


@pytest.fixture
def wired(database_url: str, store_kind: str) -> Iterator[tuple[TestClient, object]]:
    planning = build_planning(database_url, pool_size=2)
    app = new_http_app(title="planning", routers=planning.routers(), token_verifier=identities.verifier())
    with TestClient(app) as client:
        yield client, planning
    planning.close()


def test_an_upload_lands_in_the_chosen_store_and_comes_back(
    wired: tuple[TestClient, object],
    store_kind: str,
    database_url: str,
    tmp_path: Path,
) -> None:
    client, planning = wired
    store = planning.records.documents  # type: ignore[attr-defined]
    assert isinstance(store, DiskDocumentStore if store_kind == "disk" else PostgresDocumentStore)
    project = planning.application.create_project(  # type: ignore[attr-defined]
        organisation_id=ORG,
        client_id=uuid4(),
        name="Depot",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 4, 30),
        meta={"actor": "test"},
    )
    content = bytes(range(256)) * 6000  # 1.5 MiB: over the JSON limit, under this deployment's 2 MiB
    created = client.post(
        f"/api/planning/projects/{project.id}/documents",
        files={"file": ("depot.dwg", content, "image/vnd.dwg")},
        headers=MEMBER,
    )
    assert created.status_code == 201, created.text
    version = created.json()["versions"][0]
    assert client.get(version["content_url"], headers=MEMBER).content == content
    listed = client.get(f"/api/planning/projects/{project.id}/documents", headers=MEMBER).json()["items"]
    assert [d["name"] for d in listed] == ["depot.dwg"]
    if store_kind == "disk":
        assert (tmp_path / "documents" / version["sha256"][:2] / version["sha256"]).read_bytes() == content
    else:
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT size FROM planning.document_content WHERE sha256 = %s", (version["sha256"],)
            ).fetchone()
        assert row == (len(content),)
    too_big = client.post(
        f"/api/planning/projects/{project.id}/documents",
        files={"file": ("big.bin", b"x" * (2 * 1024 * 1024 + 1), "application/octet-stream")},
        headers=MEMBER,
    )
    assert too_big.status_code == 413
    assert too_big.headers["content-type"] == "application/problem+json"
