"""The portal's tests: helpers live beside this file (portal_test_kit.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from portal_test_kit import IDENTITIES, Firm

from trellis_platform.http_app import new_http_app
from trellis_portal.wiring import Portal, build_portal


@pytest.fixture
def portal(database_url: str) -> Iterator[Portal]:
    service = build_portal(database_url, pool_size=2, environ={})
    yield service
    service.close()


@pytest.fixture
def http(portal: Portal) -> Iterator[TestClient]:
    app = new_http_app(title="portal", routers=portal.routers(), token_verifier=IDENTITIES.verifier())
    with TestClient(app) as client:
        yield client


@pytest.fixture
def firm(portal: Portal) -> Firm:
    """An organisation with one client, its project, a viewer and an approver (not yet granted)."""
    return Firm.started(portal)
