"""The CloudEvents 1.0 envelope every integration event travels in (structured mode)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event with Trellis's extension attributes.

    ``organisationid`` is the tenant the fact belongs to; ``aggregateversion`` is the
    version of the aggregate that produced it, so consumers can detect duplicates and
    gaps per aggregate (``subject`` is the aggregate id and the Kafka key).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(description="Deterministic per domain event: a re-publish keeps the id.")
    source: str = Field(description="URI reference of the producing service, e.g. /trellis/planning")
    type: str = Field(description="Reverse-DNS event type including its major version")
    subject: str = Field(description="Id of the aggregate the event is about")
    time: datetime = Field(description="When the fact was recorded (UTC)")
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str = Field(description="Relative URI of the JSON Schema of data")
    organisationid: str = Field(description="The tenant (organisation) the event belongs to")
    aggregateversion: int = Field(ge=1, description="Version of the aggregate after this event")
    data: dict[str, Any]
