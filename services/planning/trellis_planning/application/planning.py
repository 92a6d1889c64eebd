"""Planning's eventsourcing Application: one event store and notification log for the
whole context, its use cases grouped by area in the modules it is composed of."""

from __future__ import annotations

from eventsourcing.persistence import JSONTranscoder

from trellis_planning.application.assignments import AssignmentUpkeep
from trellis_planning.application.board import BoardUseCases
from trellis_planning.application.bulk import BulkUseCases
from trellis_planning.application.dependencies import DependencyUseCases
from trellis_planning.application.documents import DocumentUseCases
from trellis_planning.application.minutes import MinutesUseCases
from trellis_planning.application.progress import ProgressUseCases
from trellis_planning.application.projects import ProjectUseCases
from trellis_planning.application.resources import ResourceUseCases
from trellis_planning.application.settings import SettingsUseCases
from trellis_planning.application.templates import TemplateUseCases
from trellis_planning.application.time_entries import TimeEntryUseCases
from trellis_planning.application.timeline import TimelineUseCases
from trellis_planning.application.transcodings import DateAsISO
from trellis_planning.domain.project import Project
from trellis_platform.group_commit import GroupCommitting
from trellis_platform.projection import ProjectsDirectly


class PlanningApplication(ProjectUseCases, TimeEntryUseCases, ResourceUseCases, DocumentUseCases,
                          SettingsUseCases, TemplateUseCases, BulkUseCases, BoardUseCases, MinutesUseCases,
                          DependencyUseCases, TimelineUseCases, ProgressUseCases, AssignmentUpkeep,
                          GroupCommitting, ProjectsDirectly):
    name = "planning"
    # A project records a schedule shift or a progress change with most commands on its
    # plan; a snapshot every 50 events keeps loading it cheap as it ages.
    snapshotting_intervals = {Project: 50}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
