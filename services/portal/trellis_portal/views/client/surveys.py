"""Satisfaction surveys sent when milestones completed, with the viewer's own answer."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import SurveyAnswer, SurveyItem, SurveyResponseItem, SurveyResult
from trellis_portal.views.client.snapshot import ProjectSnapshot

ONE_DECIMAL = Decimal("0.1")


def surveys(snapshot: ProjectSnapshot, user_id: UUID | None) -> list[SurveyItem]:
    responses = snapshot.all(kinds.SURVEY_RESPONSE)
    items = []
    for key, body in snapshot.all(kinds.SURVEY).items():
        mine = responses.get(f"{key}/{user_id}") if user_id is not None else None
        items.append(SurveyItem(
            id=UUID(key), milestone_id=UUID(body["milestone_id"]), milestone_name=body["milestone_name"],
            completed_on=date.fromisoformat(body["completed_on"]),
            sent_at=datetime.fromisoformat(body["sent_at"]),
            my_response=SurveyAnswer(csat=mine["csat"], nps=mine["nps"], comment=mine["comment"],
                                     answered_at=datetime.fromisoformat(mine["answered_at"]))
            if mine else None))
    return sorted(items, key=lambda s: (s.sent_at, str(s.id)), reverse=True)


def results(snapshot: ProjectSnapshot) -> list[SurveyResult]:
    """Every answer to every survey of the project, with its CSAT average and NPS (staff only)."""
    by_survey: dict[str, list[SurveyResponseItem]] = defaultdict(list)
    for body in snapshot.all(kinds.SURVEY_RESPONSE).values():
        by_survey[body["survey_id"]].append(SurveyResponseItem(
            client_user_id=UUID(body["client_user_id"]), csat=body["csat"], nps=body["nps"],
            comment=body["comment"], answered_at=datetime.fromisoformat(body["answered_at"])))
    items = []
    for key, body in snapshot.all(kinds.SURVEY).items():
        responses = sorted(by_survey[key], key=lambda r: (r.answered_at, str(r.client_user_id)))
        items.append(SurveyResult(
            id=UUID(key), milestone_id=UUID(body["milestone_id"]), milestone_name=body["milestone_name"],
            sent_at=datetime.fromisoformat(body["sent_at"]), responses=responses,
            average_csat=_share(sum(r.csat for r in responses), len(responses), 1),
            net_promoter_score=_share(sum(1 for r in responses if r.nps >= 9)
                                      - sum(1 for r in responses if r.nps <= 6), len(responses), 100)))
    return sorted(items, key=lambda s: (s.sent_at, str(s.id)), reverse=True)


def _share(amount: int, count: int, scale: int) -> Decimal | None:
    return (Decimal(amount) * scale / count).quantize(ONE_DECIMAL) if count else None
