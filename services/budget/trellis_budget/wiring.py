"""Budget's composition root. The context's model arrives with its own issue; until
then the service owns its schema and answers health checks in both run modes."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter

from trellis_platform.database import ensure_schema
from trellis_platform.incoming import EventConsumer

SCHEMA = "budget"


@dataclass
class Budget:
    database_url: str
    consumer_list: list[EventConsumer] = field(default_factory=list)

    def routers(self) -> list[APIRouter]:
        return []

    def consumers(self) -> list[EventConsumer]:
        return list(self.consumer_list)

    def close(self) -> None:
        return None


def build_budget(database_url: str) -> Budget:
    ensure_schema(database_url, SCHEMA)
    return Budget(database_url=database_url)
