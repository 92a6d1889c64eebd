"""Survey use cases: a client user answers the survey a completed milestone sent, once."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application

from trellis_portal.application.refs import ClientUserRef, ProjectRef, SurveyRef
from trellis_portal.application.saving import conflicts_as
from trellis_portal.domain.errors import Conflict
from trellis_portal.domain.ids import survey_response_id
from trellis_portal.domain.survey_response import SurveyResponse

ANSWERED = "You already answered this survey."


class SurveyUseCases(Application[UUID]):
    def answer_survey(self, project: ProjectRef, survey: SurveyRef, user: ClientUserRef, *, csat: int,
                      nps: int, comment: str, meta: dict[str, str]) -> SurveyResponse:
        if survey_response_id(survey.survey_id, user.user_id) in self.repository:
            raise Conflict(ANSWERED)
        response = SurveyResponse.answer(
            organisation_id=project.organisation_id, project_id=project.project_id,
            survey_id=survey.survey_id, milestone_id=survey.milestone_id, client_user_id=user.user_id,
            csat=csat, nps=nps, comment=comment, meta=meta)
        with conflicts_as(ANSWERED):  # the same user answering twice at the same moment
            self.save(response)
        return response
