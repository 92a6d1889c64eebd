from __future__ import annotations

from collections.abc import Iterator

import pytest
from _pytest.nodes import Node, coerce_node_id

from trellis_local.embedded import create_embedded_app
from trellis_local.pytest_plugin import fresh_database

from .embedded import Embedded, RunningApp, seed, sign_up


@pytest.fixture(scope="package")
def embedded(postgres_server_url: str) -> Iterator[Embedded]:
    """The embedded app on a database of its own, shared by the package's HTTP tests."""
    with fresh_database(postgres_server_url) as database_url:
        with pytest.MonkeyPatch.context() as env:
            # The owner logs in again after every case that ended its session: more attempts
            # from one address than identity's throttle allows (tested in identity's own tests).
            env.setenv("TRELLIS_IDENTITY_ATTEMPTS_PER_ADDRESS", "1000/s")
            env.setenv("TRELLIS_IDENTITY_LOGIN_FAILURES_PER_EMAIL", "1000/s")
            app = create_embedded_app(database_url)
        running = RunningApp(app)
        try:
            client = running.client
            owner = sign_up(client, "Acme Builders")
            other = sign_up(client, "Other Ltd")
            yield Embedded(app=app, database_url=database_url, client=client, owner=owner, other=other,
                           seeded=seed(client, owner), others_seeded=seed(client, other))
        finally:
            running.stop()


def _restore_node_id_alias() -> None:
    """schemathesis 4.32's lazy schemas (``from_fixture``) name each operation's subtest by
    assigning ``request.node._nodeid``, an attribute pytest 9.2 replaced by ``_id``: give
    it back as an alias, so the documented pytest integration runs as on earlier pytests."""
    if hasattr(Node, "_nodeid"):
        return

    def get(node: Node) -> str:
        return node.nodeid

    def set_(node: Node, value: str) -> None:
        node._id = coerce_node_id(value)

    Node._nodeid = property(get, set_)  # type: ignore[attr-defined]


_restore_node_id_alias()
