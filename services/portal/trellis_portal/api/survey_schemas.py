"""What the survey routes accept."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SurveyAnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    csat: int = Field(ge=1, le=5, description="How satisfied, 1 (poor) to 5 (excellent)")
    nps: int = Field(ge=0, le=10, description="How likely to recommend us, 0 to 10")
    comment: str = Field("", max_length=2000)
