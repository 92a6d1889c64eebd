"""Version 1 of the portal's satisfaction survey events."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PORTAL_EVENTS_V1


class SurveyAnsweredV1(EventContract):
    event_type = "com.trellis.portal.survey.answered.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client user answered the satisfaction survey sent when a milestone completed."

    survey_id: UUID
    organisation_id: UUID
    project_id: UUID
    milestone_id: UUID
    client_user_id: UUID
    csat: int = Field(ge=1, le=5, description="Customer satisfaction, 1 (poor) to 5 (excellent)")
    nps: int = Field(ge=0, le=10, description="Net promoter score answer, 0 to 10")
    comment: str = ""
