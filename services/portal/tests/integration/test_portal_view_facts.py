"""The temporal facts behind every client view: any past moment reads back exactly as it was."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any
from uuid import uuid4

import psycopg
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_test_kit import Firm

from trellis_portal.application.refs import ClientUserRef, ProjectRef
from trellis_portal.views.facts import FactStore
from trellis_portal.views.tracked_facts import TrackedFacts
from trellis_portal.wiring import Portal

KEYS = ("a", "b", "c")

operation = st.tuples(
    st.sampled_from(("put", "merge", "remove")),
    st.sampled_from(KEYS),
    st.integers(min_value=0, max_value=3),  # the value written
    st.integers(min_value=-1, max_value=1),  # how the version moves: back, same, on
)


def _model_apply(model: dict[str, tuple[int, dict[str, Any] | None]], op: tuple[str, str, int, int],
                 version: int) -> None:
    kind, key, value, _ = op
    current = model.get(key)
    if current is not None and current[0] >= version:
        return
    previous = current[1] if current else None
    if kind == "remove":
        model[key] = (version, None)
    elif kind == "merge":
        model[key] = (version, {**(previous or {}), "m": value})
    else:
        model[key] = (version, {"v": value})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_reading_as_of_any_recorded_moment_gives_the_state_then(
        portal: Portal, operations: list[tuple[str, str, int, int]]) -> None:
    store, organisation, scope = portal.facts, uuid4(), uuid4()
    tracked = portal.tracking["budget"]
    model: dict[str, tuple[int, dict[str, Any] | None]] = {}
    versions = dict.fromkeys(KEYS, 1)
    expected: list[tuple[datetime, dict[str, dict[str, Any]]]] = []
    for n, op in enumerate(operations):
        kind, key, value, step = op
        versions[key] = max(1, versions[key] + step)
        version = versions[key]

        def effect(w: Any, _: Any, kind: str = kind, key: str = key, value: int = value,
                   version: int = version) -> None:
            if kind == "remove":
                w.remove(scope, "thing", key, source=f"s-{key}", version=version)
            else:
                body = {"m": value} if kind == "merge" else {"v": value}
                w.put(scope, "thing", key, body, source=f"s-{key}", version=version, merge=kind == "merge")

        tracked.apply(Tracking(f"property-{scope}", n + 1), organisation, effect)
        _model_apply(model, op, version)
        expected.append((store.moment(), {k: body for k, (_, body) in model.items() if body is not None}))
    for moment, state in expected:
        assert {f.key: f.body for f in store.at(organisation, [scope], moment)} == state


def test_a_reader_waits_for_a_change_already_stamped_and_then_sees_it(portal: Portal,
                                                                     database_url: str) -> None:
    """The one race that would make a reconstruction differ from what was read: a change
    stamped before the reader's moment but committed after its read."""
    store, organisation, scope = portal.facts, uuid4(), uuid4()
    writer = FactStore(portal.facts.datastore)
    read: list[datetime] = []
    with writer.datastore.transaction(commit=True) as curs:
        stamp = writer.stamp(curs)
        writer.writer(curs, organisation, stamp).put(scope, "thing", "k", {"v": 1}, source="s", version=1)
        reader = threading.Thread(target=lambda: read.append(store.moment()))
        reader.start()
        _wait_until_a_session_waits_on_a_lock(database_url)
        assert read == [], "the reader cannot take its moment while a change is in flight"
    reader.join()
    (moment,) = read
    assert moment >= stamp
    assert [f.body for f in store.at(organisation, [scope], moment)] == [{"v": 1}]


def _wait_until_a_session_waits_on_a_lock(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        for _ in range(10_000):
            row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                               " AND datname = current_database()").fetchone()
            if row and row[0]:
                return
            conn.execute("SELECT pg_sleep(0.01)")
    raise AssertionError("the reader never queued behind the writer")


def test_an_event_applied_twice_at_once_is_applied_once(portal: Portal) -> None:
    tracked: TrackedFacts = portal.tracking["identity"]
    organisation, scope = uuid4(), uuid4()
    ran: list[bool] = []

    def effect(w: Any, _: Any) -> None:
        w.put(scope, "thing", "k", {"v": len(ran)}, source="s", version=len(ran) + 1)

    position = Tracking("twice", 7)
    ran.append(tracked.apply(position, organisation, effect))
    ran.append(tracked.apply(position, organisation, effect))
    assert ran == [True, False]
    assert len(portal.facts.history(organisation, scope)) == 1


def test_the_portals_own_events_are_projected_once(portal: Portal, firm: Firm) -> None:
    project = ProjectRef(organisation_id=firm.organisation, project_id=firm.project, client_id=firm.client)
    user = ClientUserRef(organisation_id=firm.organisation, user_id=firm.viewer_id, client_id=firm.client)
    portal.application.grant_access(project, user, {"actor": "staff:pm"})
    assert portal.projector.catch_up() == 2
    assert portal.projector.catch_up() == 0
    grants = [f for f in portal.facts.history(firm.organisation, firm.project) if f["kind"] == "grant"]
    assert [g["key"] for g in grants] == [str(firm.viewer_id)]


def test_followers_racing_over_the_same_events_project_each_once(portal: Portal, firm: Firm) -> None:
    """The API catches up after every command, in as many threads as it serves requests."""
    project = ProjectRef(organisation_id=firm.organisation, project_id=firm.project, client_id=firm.client)
    for user in (firm.viewer_id, firm.approver_id):
        member = ClientUserRef(organisation_id=firm.organisation, user_id=user, client_id=firm.client)
        portal.application.grant_access(project, member, {"actor": "staff:pm"})
        portal.application.revoke_access(project, user, {"actor": "staff:pm"})
        portal.application.grant_access(project, member, {"actor": "staff:pm"})
    failures: list[BaseException] = []

    def follow() -> None:
        try:
            portal.projector.catch_up()
        except BaseException as error:
            failures.append(error)

    followers = [threading.Thread(target=follow) for _ in range(4)]
    for follower in followers:
        follower.start()
    for follower in followers:
        follower.join()
    assert failures == []
    grants = [f for f in portal.facts.history(firm.organisation, firm.project) if f["kind"] == "grant"]
    assert len(grants) == 6, "granted, revoked, granted again: for each user, once"
