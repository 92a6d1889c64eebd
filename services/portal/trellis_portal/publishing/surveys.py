"""Survey domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.portal.surveys_v1 import SurveyAnsweredV1
from trellis_platform.outgoing import OutgoingEvent
from trellis_portal.domain.survey_response import SurveyResponse
from trellis_portal.publishing.envelopes import outgoing


def survey_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, SurveyResponse.Answered):
        answered = SurveyAnsweredV1(
            survey_id=domain_event.survey_id, organisation_id=domain_event.organisation_id,
            project_id=domain_event.project_id, milestone_id=domain_event.milestone_id,
            client_user_id=domain_event.client_user_id, csat=domain_event.csat, nps=domain_event.nps,
            comment=domain_event.comment)
        return [outgoing(domain_event, answered, notification_id)]
    return []
