"""Every published integration event, found by its CloudEvents type."""

from __future__ import annotations

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1

ALL_CONTRACTS: tuple[type[EventContract], ...] = (ProjectCreatedV1,)

BY_TYPE: dict[str, type[EventContract]] = {c.event_type: c for c in ALL_CONTRACTS}


class UnknownEventType(LookupError):
    pass


def contract_for(event_type: str) -> type[EventContract]:
    try:
        return BY_TYPE[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None
