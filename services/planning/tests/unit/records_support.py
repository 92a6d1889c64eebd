"""What the record-of-work and capacity tests share: an app on the in-memory event store,
real tokens, and a project with a task to log time against."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import anyio
from fastapi.testclient import TestClient

from trellis_planning.api.projects import projects_router
from trellis_planning.api.records import RecordsAdapters, records_routers
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.resource import ResourceKind
from trellis_planning.storage.disk_documents import DiskDocumentStore
from trellis_planning.views.records_memory import MemoryRecordsView
from trellis_platform.auth.caller import StaffRole
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

identities = TestIdentities()
META = {"actor": "test"}
PROJECT_STARTS = date(2026, 3, 2)  # a Monday
PROJECT_ENDS = date(2026, 6, 26)


def in_memory_application() -> PlanningApplication:
    return PlanningApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@dataclass
class Organisation:
    """One tenant with a project, a task on it, and a person linked to the login ``alice``."""

    id: UUID
    project_id: UUID
    task_id: UUID
    alice: UUID

    def manager(self) -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.PROJECT_MANAGER, subject="manager"))

    def member(self, subject: str = "alice") -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.MEMBER, subject=subject))

    def auditor(self) -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.AUDITOR, subject="auditor"))

    def key(self, *permissions: str) -> dict[str, str]:
        return bearer(identities.service(self.id, *permissions))


def organisation(app: PlanningApplication) -> Organisation:
    org = uuid4()
    project = app.create_project(
        organisation_id=org,
        client_id=uuid4(),
        name="Office fit-out",
        starts_on=PROJECT_STARTS,
        ends_on=PROJECT_ENDS,
        meta=META,
    )
    alice = app.register_resource(
        organisation_id=org,
        kind=ResourceKind.PERSON,
        name="Alice",
        hours_per_day=Decimal(8),
        working_weekdays=frozenset(range(1, 6)),
        user_id="alice",
        meta=META,
    )
    task, _ = app.create_task(organisation_id=org, project_id=project.id, title="Survey the site", meta=META)
    return Organisation(id=org, project_id=project.id, task_id=task.id, alice=alice.id)


@contextmanager
def records_client(
    app: PlanningApplication, document_dir: Path, *, max_document_bytes: int = 1_000_000
) -> Iterator[TestClient]:
    adapters = RecordsAdapters(
        records=MemoryRecordsView(),
        documents=DiskDocumentStore(document_dir),
        max_document_bytes=max_document_bytes,
    )
    http = new_http_app(
        title="planning records",
        routers=[projects_router(app), *records_routers(app, adapters)],
        token_verifier=identities.verifier(),
    )
    with TestClient(http) as client:
        yield client


def stored_events(app: PlanningApplication) -> int:
    return app.recorder.max_notification_id() or 0


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


@dataclass
class StreamedPost:
    status: int
    body: bytes
    chunks_read: int


def streamed_post(app: Any, path: str, headers: dict[str, str], chunks: list[bytes]) -> StreamedPost:
    """POSTs ``chunks`` straight to the ASGI app, counting how many of them it read: the
    test client would read the whole body before the app saw any of it."""
    remaining = iter(chunks)
    read = 0
    finished = False
    answer: dict[str, Any] = {"status": 0, "body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal read, finished
        if finished:
            return {"type": "http.disconnect"}
        chunk = next(remaining, None)
        if chunk is None:
            finished = True
            return {"type": "http.request", "body": b"", "more_body": False}
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    anyio.run(app, scope, receive, send)
    return StreamedPost(status=answer["status"], body=answer["body"], chunks_read=read)
