"""The CloudEvents 1.0 envelope every integration event travels in (structured mode)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
_ATTRIBUTE_NAME = re.compile(r"[a-z0-9]+")
# The same rule for the published schema, where a subscriber's validator can read it
# (``data_base64`` is CloudEvents' own name for binary data).
_ATTRIBUTE_NAMES_SCHEMA: JsonDict = {"pattern": r"^(?:[a-z0-9]+|data_base64)$"}


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event with Trellis's extension attributes.

    ``organisationid`` is the tenant the fact belongs to; ``aggregateversion`` is the
    version of the aggregate that produced it, so consumers can detect duplicates and
    gaps per aggregate (``subject`` is the aggregate id and the Kafka key).
    """

    # Extension attributes this version does not know are ignored, as CloudEvents asks of
    # consumers: a producer a version ahead (mid rolling upgrade) may add one, and its
    # events must not be dead-lettered for it. Trellis itself sends only these fields.
    # A name CloudEvents does not allow (lowercase letters and digits) is still refused.
    model_config = ConfigDict(extra="ignore", frozen=True,
                              json_schema_extra={"propertyNames": _ATTRIBUTE_NAMES_SCHEMA})

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

    @model_validator(mode="before")
    @classmethod
    def _attribute_names_are_cloudevents_names(cls, values: Any) -> Any:
        undeclared = values.keys() - _DECLARED if isinstance(values, dict) else set()
        invalid = sorted(str(name) for name in undeclared if not _ATTRIBUTE_NAME.fullmatch(str(name)))
        if invalid:
            raise ValueError(f"attribute names must be lowercase letters and digits: {invalid}")
        return values


# Every envelope is checked against these, so they are looked up once (pydantic's
# model_fields is a descriptor that rebuilds its answer on each access).
_DECLARED = frozenset(CloudEvent.model_fields) | {"data_base64"}
