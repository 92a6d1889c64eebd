"""Two processes of one service starting together on an empty database both come up.

Each service creates its tables when it starts; without the schema lock, two of them
racing through CREATE TABLE IF NOT EXISTS make one fail on PostgreSQL's catalog.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from trellis_budget.wiring import build_budget
from trellis_identity.wiring import build_identity
from trellis_planning.wiring import build_planning
from trellis_portal.wiring import build_portal

STARTS_AT_ONCE = 4


@pytest.mark.parametrize("build", [build_planning, build_portal, build_budget, build_identity],
                         ids=["planning", "portal", "budget", "identity"])
def test_processes_of_one_service_starting_together_all_come_up(
    database_url: str, build: Callable[[str], Any],
) -> None:
    with ThreadPoolExecutor(max_workers=STARTS_AT_ONCE) as pool:
        services = list(pool.map(lambda _: build(database_url), range(STARTS_AT_ONCE)))
    for service in services:
        service.close()
    assert len(services) == STARTS_AT_ONCE
