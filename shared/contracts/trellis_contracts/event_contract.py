"""Base class for the payload (``data``) of a published integration event."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventContract(BaseModel):
    """An integration event payload: its CloudEvents type, topic and schema version.

    ``extra="ignore"`` on read lets consumers accept fields added later in the same
    version (additive changes are compatible by promise).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    topic: ClassVar[str]
    version: ClassVar[int]
    summary: ClassVar[str]

    @classmethod
    def schema_name(cls) -> str:
        return f"{cls.event_type}.json"
