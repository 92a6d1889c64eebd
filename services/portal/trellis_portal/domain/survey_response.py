"""A client user's answer to the satisfaction survey sent when a milestone completed.

Its id derives from the survey and the user, so a second answer by the same user is
refused by the event store itself, whatever the timing.
Stored event topics are ``trellis_portal.domain.survey_response:SurveyResponse.<Event>``.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_portal.domain.errors import PortalRuleBroken
from trellis_portal.domain.ids import survey_response_id
from trellis_portal.domain.text_rules import MAX_COMMENT, optional


class SurveyResponse(Aggregate):
    class Answered(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        survey_id: UUID
        milestone_id: UUID
        client_user_id: UUID
        csat: int
        nps: int
        comment: str
        meta: dict[str, str]

    @staticmethod
    def create_id(survey_id: UUID, client_user_id: UUID) -> UUID:
        return survey_response_id(survey_id, client_user_id)

    @event(Answered)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, survey_id: UUID, milestone_id: UUID,
                 client_user_id: UUID, csat: int, nps: int, comment: str, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.survey_id = survey_id
        self.milestone_id = milestone_id
        self.client_user_id = client_user_id
        self.csat = csat
        self.nps = nps
        self.comment = comment

    @classmethod
    def answer(cls, *, organisation_id: UUID, project_id: UUID, survey_id: UUID, milestone_id: UUID,
               client_user_id: UUID, csat: int, nps: int, comment: str,
               meta: dict[str, str]) -> SurveyResponse:
        if not 1 <= csat <= 5:
            raise PortalRuleBroken(f"csat is 1 to 5, not {csat}.")
        if not 0 <= nps <= 10:
            raise PortalRuleBroken(f"nps is 0 to 10, not {nps}.")
        return cls(organisation_id=organisation_id, project_id=project_id, survey_id=survey_id,
                   milestone_id=milestone_id, client_user_id=client_user_id, csat=csat, nps=nps,
                   comment=optional(comment, "The comment", MAX_COMMENT), meta=meta)
