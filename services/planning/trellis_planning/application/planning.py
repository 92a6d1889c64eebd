"""Planning's eventsourcing Application: one event store and notification log for the
whole context, its use cases grouped by area in the modules it is composed of."""

from __future__ import annotations

from eventsourcing.persistence import JSONTranscoder

from trellis_planning.application.projects import ProjectUseCases
from trellis_planning.application.transcodings import DateAsISO


class PlanningApplication(ProjectUseCases):
    name = "planning"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
