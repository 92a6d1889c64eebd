"""Every service's relay process can read ahead in a worker process: the worker rebuilds
the service's recorder and mapper from its application's class and environment alone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from trellis_budget.wiring import build_budget
from trellis_identity.application.passwords import fast_passwords
from trellis_identity.wiring import build_identity
from trellis_planning.wiring import build_planning
from trellis_platform.outgoing import OutgoingEvent
from trellis_platform.read_ahead import ProcessReadAhead
from trellis_portal.wiring import build_portal

BUILDERS: dict[str, Callable[[str], Any]] = {
    "identity": lambda url: build_identity(url, pool_size=1, passwords=fast_passwords()),
    "planning": lambda url: build_planning(url, pool_size=1),
    "budget": lambda url: build_budget(url, pool_size=1),
    "portal": lambda url: build_portal(url, pool_size=1),
}


def nothing_public(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    return []


@pytest.mark.parametrize("service", sorted(BUILDERS))
async def test_the_worker_reads_the_services_store(service: str, database_url: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    built = BUILDERS[service](database_url)
    read_ahead = ProcessReadAhead(built.application, nothing_public, batch_size=10)
    try:
        position = built.application.recorder.max_notification_id() or 0
        read_ahead.read_after(position)
        with caplog.at_level(logging.WARNING):
            assert await read_ahead.take(position) is None, "nothing stored after the end"
        assert not caplog.records, f"the worker failed: {[r.getMessage() for r in caplog.records]}"
    finally:
        read_ahead.close()
        built.close()
