"""Client views at a moment: the live routes read at ``moment()``, an audit at any past one."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client import sections
from trellis_portal.views.client.sections import Section
from trellis_portal.views.client.shapes import (
    ClientProjectsView,
    MyProjects,
    ProjectClientView,
    ProjectSummary,
)
from trellis_portal.views.client.snapshot import ProjectSnapshot, Viewer
from trellis_portal.views.facts import Fact, FactStore


class ClientViews:
    def __init__(self, facts: FactStore) -> None:
        self._facts = facts

    def moment(self) -> datetime:
        return self._facts.moment()

    # -- who is looking -------------------------------------------------------------------

    @staticmethod
    def staff(organisation_id: UUID) -> Viewer:
        return Viewer(organisation_id=organisation_id, kind="staff")

    def client(self, organisation_id: UUID, user_id: UUID | None, client_id: UUID | None,
               as_of: datetime) -> Viewer:
        """A client user as their token names them, with the clients identity listed them in then."""
        member_of = self.member_of(organisation_id, user_id, as_of) if user_id is not None else frozenset()
        return Viewer(organisation_id=organisation_id, kind="client", user_id=user_id, client_id=client_id,
                      member_of=member_of)

    def reconstructed_client(self, organisation_id: UUID, user_id: UUID, as_of: datetime) -> Viewer:
        """The same user as the portal knew them at ``as_of``, for an audit."""
        member_of = self.member_of(organisation_id, user_id, as_of)
        client_id = next(iter(member_of)) if len(member_of) == 1 else None
        return Viewer(organisation_id=organisation_id, kind="client", user_id=user_id, client_id=client_id,
                      member_of=member_of)

    def member_of(self, organisation_id: UUID, user_id: UUID, as_of: datetime) -> frozenset[UUID]:
        """The clients identity listed the user in at ``as_of`` (one, or none once removed)."""
        return frozenset(f.scope for f in self._facts.with_key(organisation_id, kinds.CLIENT_USER,
                                                                  str(user_id), as_of))

    def members(self, organisation_id: UUID, client_id: UUID, as_of: datetime) -> list[Fact]:
        """The client's users as the portal knew them at ``as_of`` (for staff)."""
        return self._facts.at(organisation_id, [client_id], as_of, kinds=(kinds.CLIENT_USER,))

    # -- what they see --------------------------------------------------------------------

    def snapshot(self, viewer: Viewer, project_id: UUID, as_of: datetime,
                 kinds_needed: tuple[str, ...] | None = None) -> ProjectSnapshot | None:
        """The project as ``viewer`` may see it at ``as_of``; None where they may not.
        ``kinds_needed`` narrows what is read to what a section is made of."""
        facts = self._facts.at(viewer.organisation_id, [project_id], as_of, kinds=kinds_needed)
        snapshot = ProjectSnapshot.of(project_id, as_of, facts)
        return snapshot if snapshot.visible_to(viewer) else None

    def section(self, section: Section, viewer: Viewer, project_id: UUID,
                as_of: datetime) -> BaseModel | None:
        snapshot = self.snapshot(viewer, project_id, as_of, sections.needs(section))
        return section(snapshot, viewer, as_of) if snapshot is not None else None

    def my_projects(self, viewer: Viewer, as_of: datetime) -> MyProjects:
        if viewer.user_id is None:
            return MyProjects(as_of=as_of, items=[])
        granted = [f.scope for f in self._facts.with_key(viewer.organisation_id, kinds.GRANT,
                                                         str(viewer.user_id), as_of)]
        by_scope: dict[UUID, list[Fact]] = defaultdict(list)
        for fact in self._facts.at(viewer.organisation_id, granted, as_of,
                                   kinds=(kinds.PROJECT, kinds.PROGRESS, kinds.VISIBILITY, kinds.GRANT)):
            by_scope[fact.scope].append(fact)
        items = []
        for scope, facts in by_scope.items():
            snapshot = ProjectSnapshot.of(scope, as_of, facts)
            if snapshot.visible_to(viewer):
                items.append(_summary(snapshot))
        return MyProjects(as_of=as_of, items=sorted(items, key=lambda p: (p.name, str(p.id))))

    def project_view(self, viewer: Viewer, project_id: UUID, as_of: datetime) -> ProjectClientView:
        """Every project route's answer at ``as_of``, read from one snapshot."""
        assert viewer.user_id is not None
        snapshot = self.snapshot(viewer, project_id, as_of)

        def answer(section: Section) -> BaseModel | None:
            return section(snapshot, viewer, as_of) if snapshot is not None else None

        return ProjectClientView.model_validate({
            "as_of": as_of, "user_id": viewer.user_id, "project_id": project_id,
            "overview": answer(sections.overview_section), "documents": answer(sections.documents_section),
            "budget": answer(sections.budget_section), "time": answer(sections.time_section),
            "tasks": answer(sections.tasks_section),
            "approvals": answer(sections.approvals_section), "threads": answer(sections.threads_section),
            "surveys": answer(sections.surveys_section),
        })

    def projects_view(self, viewer: Viewer, as_of: datetime) -> ClientProjectsView:
        assert viewer.user_id is not None
        return ClientProjectsView(as_of=as_of, user_id=viewer.user_id,
                                  my_projects=self.my_projects(viewer, as_of))


def _summary(snapshot: ProjectSnapshot) -> ProjectSummary:
    project = snapshot.project
    assert project is not None
    progress = snapshot.one(kinds.PROGRESS)
    return ProjectSummary(
        id=snapshot.project_id, name=project["name"], starts_on=project["starts_on"],
        ends_on=project["ends_on"],
        percent_complete=Decimal(progress["percent_complete"]) if progress else None,
        health=progress["health"] if progress and snapshot.visibility.health else None)
