"""What the plan tests share: an application on the in-memory event store with a fixed
today, a tenant with people and equipment, real tokens, and an HTTP client."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from trellis_planning.api.plan_routes import plan_routers
from trellis_planning.api.projects import projects_router
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.project import Project
from trellis_planning.domain.resource import ResourceKind
from trellis_planning.domain.task import Task
from trellis_platform.auth.caller import StaffRole
from trellis_platform.http_app import new_http_app
from trellis_platform.testing.identities import TestIdentities, bearer

identities = TestIdentities()
META = {"actor": "staff:manager"}
STARTS = date(2026, 3, 2)  # a Monday
ENDS = date(2026, 6, 26)
TODAY = date(2026, 3, 2)


def in_memory_application(today: date = TODAY) -> PlanningApplication:
    app = PlanningApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.today = lambda: today  # type: ignore[method-assign]
    return app


@dataclass
class Tenant:
    """An organisation with Alice (a person linked to the login ``alice``), Bob (``bob``)
    and a crane (equipment)."""

    id: UUID
    alice: UUID
    bob: UUID
    crane: UUID

    def manager(self) -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.PROJECT_MANAGER, subject="manager"))

    def admin(self) -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.ADMIN, subject="admin"))

    def member(self, subject: str = "alice") -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.MEMBER, subject=subject))

    def auditor(self) -> dict[str, str]:
        return bearer(identities.staff(self.id, StaffRole.AUDITOR, subject="auditor"))

    def key(self, *permissions: str) -> dict[str, str]:
        return bearer(identities.service(self.id, *permissions))


def tenant(app: PlanningApplication) -> Tenant:
    org = uuid4()

    def person(name: str, login: str | None, kind: ResourceKind = ResourceKind.PERSON) -> UUID:
        return app.register_resource(
            organisation_id=org,
            kind=kind,
            name=name,
            hours_per_day=Decimal(8),
            working_weekdays=frozenset(range(1, 6)),
            user_id=login,
            meta=META,
        ).id

    return Tenant(
        id=org,
        alice=person("Alice", "alice"),
        bob=person("Bob", "bob"),
        crane=person("Crane", None, ResourceKind.EQUIPMENT),
    )


def project(
    app: PlanningApplication, org: UUID, *, starts_on: date = STARTS, ends_on: date = ENDS
) -> Project:
    return app.create_project(
        organisation_id=org,
        client_id=uuid4(),
        name="Office fit-out",
        starts_on=starts_on,
        ends_on=ends_on,
        meta=META,
    )


def task(app: PlanningApplication, org: UUID, project_id: UUID, title: str, **details: Any) -> Task:
    created, _ = app.create_task(
        organisation_id=org, project_id=project_id, title=title, details=details, meta=META
    )
    return created


def chain(app: PlanningApplication, org: UUID, project_id: UUID, *titles: str, days: int = 2) -> list[Task]:
    """Tasks that follow one another finish-to-start."""
    tasks = [task(app, org, project_id, t, duration_days=days, estimate_minutes=days * 480) for t in titles]
    for before, after in itertools.pairwise(tasks):
        app.add_dependency(
            organisation_id=org,
            project_id=project_id,
            predecessor_id=before.id,
            successor_id=after.id,
            type_="FS",
            lag_days=0,
            meta=META,
        )
    return tasks


def stored_events(app: PlanningApplication) -> int:
    return app.recorder.max_notification_id() or 0


@contextmanager
def plan_client(app: PlanningApplication) -> Iterator[TestClient]:
    http = new_http_app(
        title="planning plan",
        routers=[projects_router(app), *plan_routers(app)],
        token_verifier=identities.verifier(),
    )
    with TestClient(http) as client:
        yield client


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body
