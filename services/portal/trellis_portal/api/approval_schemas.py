"""What the approval routes accept."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class RequestApprovalBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deliverable_kind: Literal["milestone", "document", "other"]
    deliverable_id: UUID
    document_version: int | None = Field(None, ge=1, description="For a document: the version to approve")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field("", max_length=2000, description="Required when rejecting: why")
