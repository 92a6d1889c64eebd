"""Budget on a fresh PostgreSQL database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from trellis_budget.wiring import Budget, build_budget


@pytest.fixture
def budget(database_url: str) -> Iterator[Budget]:
    service = build_budget(database_url, pool_size=2)
    yield service
    service.close()
