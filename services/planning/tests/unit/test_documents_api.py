"""Project documents over HTTP: streamed uploads with a size limit, versions, and
downloads that are typed, named, cached by their SHA-256, and never served corrupted."""

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from records_support import (
    Organisation,
    in_memory_application,
    organisation,
    problem,
    records_client,
    stored_events,
    streamed_post,
)

from trellis_planning.application.planning import PlanningApplication

LIMIT = 3 * 1024 * 1024
BOUNDARY = "trellis-test-boundary"


@pytest.fixture
def app() -> PlanningApplication:
    return in_memory_application()


@pytest.fixture
def org(app: PlanningApplication) -> Organisation:
    return organisation(app)


@pytest.fixture
def client(app: PlanningApplication, tmp_path: Path) -> Iterator[TestClient]:
    with records_client(app, tmp_path, max_document_bytes=LIMIT) as test_client:
        yield test_client


def documents_url(org: Organisation) -> str:
    return f"/api/planning/projects/{org.project_id}/documents"


def upload(
    client: TestClient,
    url: str,
    content: bytes,
    headers: dict[str, str],
    *,
    filename: str = "plan.pdf",
    content_type: str = "application/pdf",
    **kwargs: Any,
) -> Any:
    return client.post(url, files={"file": (filename, content, content_type)}, headers=headers, **kwargs)


def multipart(*parts: tuple[str, str | None, bytes]) -> tuple[bytes, bytes]:
    """(head, tail) of a multipart body whose last part's content goes in between."""
    head = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content
        head += b"\r\n" if filename is None else b""
    return head, f"\r\n--{BOUNDARY}--\r\n".encode()


MULTIPART = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
PART_AFTER_THE_FILE = (
    f"\r\n--{BOUNDARY}\r\n".encode()
    + b'Content-Disposition: form-data; name="extra"\r\n\r\nz'
    + f"\r\n--{BOUNDARY}--\r\n".encode()
)


def test_an_uploaded_file_becomes_a_document_and_downloads_as_it_was(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
) -> None:
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40
    response = upload(client, documents_url(org), content, org.member())
    assert response.status_code == 201, response.text
    document = response.json()
    assert response.headers["location"] == f"/api/planning/documents/{document['id']}"
    (version,) = document["versions"]
    sha256 = hashlib.sha256(content).hexdigest()
    assert (document["name"], version["number"], version["size_bytes"]) == ("plan.pdf", 1, len(content))
    assert (version["sha256"], version["content_type"], version["uploaded_by"]) == (
        sha256,
        "application/pdf",
        "staff:alice",
    )
    download = client.get(version["content_url"], headers=org.auditor())
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["etag"] == f'"{sha256}"'
    assert (
        download.headers["content-disposition"]
        == "attachment; filename=\"plan.pdf\"; filename*=UTF-8''plan.pdf"
    )
    assert download.headers["content-length"] == str(len(content))
    cached = client.get(version["content_url"], headers={**org.auditor(), "If-None-Match": f'"{sha256}"'})
    assert (cached.status_code, cached.content) == (304, b"")


def test_a_new_version_keeps_the_old_ones(client: TestClient, org: Organisation) -> None:
    document = upload(client, documents_url(org), b"first draft", org.member()).json()
    added = upload(
        client,
        f"/api/planning/documents/{document['id']}/versions",
        b"second draft",
        org.member(),
        filename="plan-v2.pdf",
    )
    assert added.status_code == 201, added.text
    assert added.json()["number"] == 2
    assert client.get(added.headers["location"], headers=org.auditor()).json() == added.json()
    versions = client.get(f"/api/planning/documents/{document['id']}/versions", headers=org.auditor()).json()
    assert [(v["number"], v["filename"]) for v in versions] == [(1, "plan.pdf"), (2, "plan-v2.pdf")]
    assert client.get(versions[0]["content_url"], headers=org.auditor()).content == b"first draft"
    assert (
        client.get(f"/api/planning/documents/{document['id']}/content", headers=org.auditor()).content
        == b"second draft"
    )
    problem(
        client.get(f"/api/planning/documents/{document['id']}/versions/3/content", headers=org.auditor()), 404
    )


def test_a_document_is_named_by_a_field_before_the_file_or_by_the_query(
    client: TestClient, org: Organisation
) -> None:
    named = client.post(
        documents_url(org),
        files={"file": ("x.txt", b"x", "text/plain")},
        data={"name": "Site survey"},
        headers=org.member(),
    )
    assert named.json()["name"] == "Site survey"
    queried = upload(client, documents_url(org), b"y", org.member(), params={"name": "Floor plan"})
    assert queried.json()["name"] == "Floor plan"


def test_a_file_name_in_any_script_survives_the_round_trip(client: TestClient, org: Organisation) -> None:
    document = upload(client, documents_url(org), b"content", org.member(), filename="Devis été ①.pdf").json()
    download = client.get(document["versions"][0]["content_url"], headers=org.auditor())
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Devis _t_ _.pdf\"; filename*=UTF-8''Devis%20%C3%A9t%C3%A9%20%E2%91%A0.pdf"
    )


def test_documents_of_a_project_are_listed(client: TestClient, org: Organisation) -> None:
    for name in ["b.pdf", "a.pdf", "c.pdf"]:
        upload(client, documents_url(org), name.encode(), org.member(), filename=name)
    page = client.get(documents_url(org), params={"limit": 2}, headers=org.auditor()).json()
    assert [d["name"] for d in page["items"]] == ["a.pdf", "b.pdf"]
    rest = client.get(
        documents_url(org), params={"cursor": page["next_cursor"]}, headers=org.auditor()
    ).json()
    assert [d["name"] for d in rest["items"]] == ["c.pdf"]
    assert rest["next_cursor"] is None


def test_a_file_over_the_limit_is_refused_with_413_and_nothing_is_kept(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
    tmp_path: Path,
) -> None:
    before = stored_events(app)
    response = upload(client, documents_url(org), b"x" * (LIMIT + 1), org.member())
    assert problem(response, 413)["title"] == "Content too large"
    assert stored_events(app) == before
    assert _stored_files(tmp_path) == []


def test_a_streamed_file_over_the_limit_is_refused_while_it_streams(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
    tmp_path: Path,
) -> None:
    head, tail = multipart(("file", "big.bin", b""))
    chunks = [head, *([b"x" * 65536] * 64), tail]  # 4 MiB, without a Content-Length
    before = stored_events(app)
    sent = streamed_post(client.app, documents_url(org), {**org.member(), **MULTIPART}, chunks)
    assert sent.status == 413
    assert json.loads(sent.body)["title"] == "Content too large"
    assert sent.chunks_read < len(chunks) - 8, "refused once past the limit, not after the whole body"
    assert stored_events(app) == before
    assert _stored_files(tmp_path) == []


def test_a_file_larger_than_the_json_limit_is_accepted_on_the_upload_route(
    client: TestClient,
    org: Organisation,
) -> None:
    content = bytes(range(256)) * 8192  # 2 MiB: over the 1 MiB limit of JSON routes
    response = upload(client, documents_url(org), content, org.member())
    assert response.status_code == 201, response.text
    assert client.get(response.json()["versions"][0]["content_url"], headers=org.auditor()).content == content


def test_the_caller_and_project_are_checked_before_the_body_is_read(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
) -> None:
    other = organisation(app)
    head, tail = multipart(("file", "a.bin", b""))
    chunks = [head, *([b"x" * 65536] * 16), tail]
    for headers, url, status in [
        ({}, documents_url(org), 401),
        (org.auditor(), documents_url(org), 403),
        (org.member(), documents_url(other), 404),
        (org.member(), f"/api/planning/projects/{uuid4()}/documents", 404),
    ]:
        sent = streamed_post(client.app, url, {**headers, **MULTIPART}, chunks)
        assert (sent.status, sent.chunks_read) == (status, 0)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "mentions"),
    [
        (b'{"name": "plan"}', "application/json", 415, "multipart/form-data"),
        (
            b"".join(multipart(("name", None, b"only a field"))),
            MULTIPART["content-type"],
            422,
            "no file part",
        ),
        (b"".join(multipart(("attachment", "a.pdf", b"x"))), MULTIPART["content-type"], 422, "'file'"),
        (b"".join(multipart(("file", "empty.pdf", b""))), MULTIPART["content-type"], 422, "empty"),
        (multipart(("file", "a.pdf", b"x"))[0], MULTIPART["content-type"], 400, "ended before"),
        (
            multipart(("file", "a.pdf", b"x"))[0] + PART_AFTER_THE_FILE,
            MULTIPART["content-type"],
            422,
            "nothing after it",
        ),
    ],
    ids=["json", "no file", "wrong part", "empty file", "truncated", "part after the file"],
)
def test_a_malformed_upload_is_a_problem_and_stores_nothing(
    client: TestClient,
    app: PlanningApplication,
    org: Organisation,
    body: bytes,
    content_type: str,
    status: int,
    mentions: str,
) -> None:
    before = stored_events(app)
    response = client.post(
        documents_url(org), content=body, headers={**org.member(), "content-type": content_type}
    )
    assert mentions in problem(response, status)["detail"]
    assert stored_events(app) == before


def test_a_bad_content_type_on_the_part_is_refused(client: TestClient, org: Organisation) -> None:
    response = upload(client, documents_url(org), b"x", org.member(), content_type="not a type")
    assert "media type" in problem(response, 422)["detail"]


def test_corrupted_content_is_an_error_and_is_never_served(
    client: TestClient,
    org: Organisation,
    tmp_path: Path,
) -> None:
    version = upload(client, documents_url(org), b"the original contract", org.member()).json()["versions"][0]
    (stored,) = _stored_files(tmp_path)
    stored.write_bytes(b"the altered  contract")
    response = client.get(version["content_url"], headers=org.auditor())
    body = problem(response, 500)
    assert body["title"] == "Document content unavailable"
    assert b"altered" not in response.content
    stored.unlink()
    problem(client.get(version["content_url"], headers=org.auditor()), 500)


def test_who_may_upload_and_read_documents(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    problem(upload(client, documents_url(org), b"x", org.auditor()), 403)
    problem(upload(client, documents_url(org), b"x", org.key("planning.documents:read")), 403)
    document = upload(client, documents_url(org), b"x", org.key("planning.documents:write")).json()
    assert document["versions"][0]["uploaded_by"] == "service:api-key"
    url = f"/api/planning/documents/{document['id']}"
    assert client.get(url, headers=org.key("planning.documents:read")).status_code == 200
    problem(client.get(url, headers=org.key("planning.time:read")), 403)
    other = organisation(app)
    for path in (url, f"{url}/versions", f"{url}/content", f"{url}/versions/1/content"):
        problem(client.get(path, headers=other.manager()), 404)
    problem(upload(client, f"{url}/versions", b"y", other.manager()), 404)
    problem(client.get(documents_url(org), headers=other.manager()), 404)
    problem(client.get(f"/api/planning/documents/{uuid4()}", headers=org.manager()), 404)


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_what_the_upload_says_is_checked_before_its_content_is_stored(
    client: TestClient, app: PlanningApplication, org: Organisation, tmp_path: Path
) -> None:
    problem(upload(client, documents_url(org), b"x", org.member(), content_type="not a type"), 422)
    problem(upload(client, documents_url(org), b"x", org.member(), params={"name": "  "}), 422)
    assert _stored_files(tmp_path) == []


def test_an_upload_arriving_in_tiny_pieces_is_read_whole(
    client: TestClient, app: PlanningApplication, org: Organisation
) -> None:
    content = bytes(range(256)) * 50
    head, tail = multipart(("name", None, b"Drawing"), ("file", "d.bin", b""))
    body = head + content + tail
    pieces = [body[i : i + 7] for i in range(0, len(body), 7)]
    sent = streamed_post(client.app, documents_url(org), {**org.member(), **MULTIPART}, pieces)
    assert sent.status == 201, sent.body
    document = json.loads(sent.body)
    assert document["name"] == "Drawing"
    version = document["versions"][0]
    assert version["sha256"] == hashlib.sha256(content).hexdigest()
    assert client.get(version["content_url"], headers=org.auditor()).content == content
