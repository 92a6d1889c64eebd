"""What the thread routes accept."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StartThreadBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5000)


class PostMessageBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000)
    internal: bool = Field(False, description="A note for the firm's staff only; clients cannot write one")
