"""Satisfaction surveys: each client user answers each survey once."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status

from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_portal.api.common import (
    CLIENT_ONLY,
    PREFIX,
    PROBLEM_RESPONSES,
    PortalContext,
    answering_problems,
    meta,
    not_found,
    seen,
    user_id,
)
from trellis_portal.api.survey_schemas import SurveyAnswerBody
from trellis_portal.application.refs import ClientUserRef, SurveyRef
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import SurveyItem
from trellis_portal.views.client.surveys import surveys


def surveys_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal surveys"], responses=PROBLEM_RESPONSES)

    @router.post("/projects/{project_id}/surveys/{survey_id}/responses", status_code=status.HTTP_201_CREATED,
                 response_model=SurveyItem, **guarded(CLIENT_ONLY))
    def answer(project_id: UUID, survey_id: UUID, body: SurveyAnswerBody, caller: CurrentCaller,
               request: Request) -> SurveyItem:
        """A second answer by the same user to the same survey is a 409."""
        now = seen(context, caller, project_id)
        found = now.snapshot.one(kinds.SURVEY, str(survey_id))
        client_user = user_id(caller)
        if found is None or client_user is None:
            raise not_found(project_id, f"survey {survey_id}")
        user = ClientUserRef(organisation_id=caller.organisation_id, user_id=client_user,
                             client_id=now.ref.client_id)
        survey = SurveyRef(survey_id=survey_id, milestone_id=UUID(found["milestone_id"]))
        with answering_problems():
            context.application.answer_survey(now.ref, survey, user, csat=body.csat, nps=body.nps,
                                              comment=body.comment, meta=meta(caller, request))
        context.catch_up()
        after = seen(context, caller, project_id)
        return next(item for item in surveys(after.snapshot, client_user) if item.id == survey_id)

    return router
