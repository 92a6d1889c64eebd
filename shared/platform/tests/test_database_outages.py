"""While PostgreSQL is down or restarting, events wait and processes wait: nothing good is
dead-lettered, and nothing exits.

eventsourcing's datastores re-raise psycopg's errors as classes of their own (not
psycopg's subclasses): a consumer writing through them sees those during an outage.
"""

from __future__ import annotations

import psycopg
import pytest
from eventsourcing.persistence import InterfaceError, OperationalError, Tracking

from trellis_platform import database, delivery
from trellis_platform.database import when_database_answers
from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent


class DownForAWhile:
    """A consumer whose database fails ``outage`` times, as eventsourcing reports it."""

    name = "down-for-a-while"
    topics: tuple[str, ...] = ("t",)

    def __init__(self, outage: list[Exception]) -> None:
        self.outage = outage
        self.applied: list[int] = []

    def has_applied(self, position: Tracking) -> bool:
        return position.notification_id in self.applied

    def apply(self, event: IncomingEvent) -> None:
        if self.outage:
            raise self.outage.pop(0)
        self.applied.append(event.position.notification_id)

    def record_position(self, position: Tracking) -> None:
        self.applied.append(position.notification_id)


class DeadLetterBox:
    def __init__(self) -> None:
        self.kept: list[str] = []

    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        self.kept.append(reason)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_sleep(_: float) -> None:
        return None

    monkeypatch.setattr(delivery.asyncio, "sleep", no_sleep)
    monkeypatch.setattr(database.time, "sleep", lambda _: None)


async def test_an_outage_longer_than_the_unexpected_failures_allowed_dead_letters_nothing() -> None:
    outage: list[Exception] = [OperationalError("couldn't get a connection after 5.00 sec")] * 5
    outage += [InterfaceError("the connection is closed"), psycopg.OperationalError("refused")]
    consumer, dead_letters = DownForAWhile(list(outage)), DeadLetterBox()
    event = IncomingEvent(topic="t", key=None, value=b"{}", position=Tracking("t:0", 7))

    await Delivery(consumer, dead_letters).deliver(event)

    assert consumer.applied == [7]
    assert dead_letters.kept == []


def test_a_process_starting_while_the_database_restarts_waits_for_it() -> None:
    failures: list[Exception] = [psycopg.OperationalError("connection refused"), OperationalError("no pool")]

    def build() -> str:
        if failures:
            raise failures.pop(0)
        return "built"

    assert when_database_answers(build, what="test") == "built"


def test_a_mistake_is_not_mistaken_for_an_outage() -> None:
    def build() -> str:
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        when_database_answers(build, what="test")
