"""Revoked tokens and sessions, as every API process of the distributed mode knows them.

Identity publishes each revocation on its topic (``TokenRevokedV1``: a token id;
``SessionRevokedV1``: a login session or an API key, whose tokens name it as ``sid``).
Each API process reads that topic itself, without a consumer group (every process needs
every revocation, and keeps them in memory only): on start from the offsets of a little
more than the longest access token lifetime ago (every revocation that can still matter),
then following it. Until it has read up to the end offsets found at start, the process is
not ready and cannot vouch for any token: routes answer 503 with Retry-After (fail closed,
without sending a client with a good token back to sign in).

If Kafka becomes unreachable later, the revocations already read are kept and the reader
retries (and says so in the log): revocations issued during the outage take effect here
when Kafka is back. The gateway still asks identity about every token meanwhile, and
/readyz reports Kafka as not answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.revocations_v1 import SessionRevokedV1, TokenRevokedV1
from trellis_contracts.topics import IDENTITY_EVENTS_V1
from trellis_platform.auth.tokens import LEEWAY_SECONDS, RevocationsUnknown
from trellis_platform.incoming import PoisonEvent
from trellis_platform.kafka_consumer import incoming_from_record
from trellis_platform.kafka_sink import ensure_topics
from trellis_platform.parsing import read_event

logger = logging.getLogger(__name__)

# The longest an access token lives: a revocation older than this (and the leeway the
# verifier gives expiry) covers no token that could still be accepted.
MAX_ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
LEEWAY = timedelta(seconds=LEEWAY_SECONDS)
# How far back a starting process reads: the lifetime, the leeway, and a minute for the
# clocks of identity, its relay and the broker not quite agreeing.
LOOKBACK = MAX_ACCESS_TOKEN_LIFETIME + LEEWAY + timedelta(minutes=1)
POLL_MS = 500
FORGET_EVERY_SECONDS = 30.0
PROBE_TIMEOUT_SECONDS = 10.0


def utc_now() -> datetime:
    return datetime.now(UTC)


class RevokedIds:
    """Revoked token ids and session ids, each kept until the last token it covers has
    expired (``expires_at`` when known, else the longest lifetime after the revocation),
    plus the leeway. Thread-safe: the event loop adds, request threads ask."""

    # Two dict lookups: a request's event loop may ask directly (see RevocationCheck).
    answers_from_memory = True

    def __init__(self, *, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._tokens: dict[str, datetime] = {}
        self._sessions: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def revoke_token(self, token_id: str, *, revoked_at: datetime,
                     expires_at: datetime | None = None) -> None:
        self._keep(self._tokens, token_id, revoked_at, expires_at)

    def revoke_session(self, session_id: str, *, revoked_at: datetime,
                       expires_at: datetime | None = None) -> None:
        self._keep(self._sessions, session_id, revoked_at, expires_at)

    def _keep(self, kept: dict[str, datetime], key: str, revoked_at: datetime,
              expires_at: datetime | None) -> None:
        until = (expires_at or revoked_at + MAX_ACCESS_TOKEN_LIFETIME) + LEEWAY
        if until <= self._clock():
            return
        with self._lock:
            kept[key] = max(until, kept.get(key, until))

    def apply(self, payload: EventContract) -> bool:
        """Remembers a published revocation; False for any other event."""
        if isinstance(payload, TokenRevokedV1):
            self.revoke_token(payload.token_id, revoked_at=payload.revoked_at, expires_at=payload.expires_at)
            return True
        if isinstance(payload, SessionRevokedV1):
            self.revoke_session(str(payload.session_id), revoked_at=payload.revoked_at,
                                expires_at=payload.expires_at)
            return True
        return False

    def is_revoked(self, token_id: str, session_id: str | None) -> bool:
        now = self._clock()
        with self._lock:
            token_until = self._tokens.get(token_id) if token_id else None
            session_until = self._sessions.get(session_id) if session_id else None
        return any(until is not None and until > now for until in (token_until, session_until))

    def forget_expired(self) -> int:
        """Drops what no longer covers a live token; returns how many."""
        now = self._clock()
        with self._lock:
            before = len(self._tokens) + len(self._sessions)
            self._tokens = {k: until for k, until in self._tokens.items() if until > now}
            self._sessions = {k: until for k, until in self._sessions.items() if until > now}
            return before - len(self._tokens) - len(self._sessions)

    def __len__(self) -> int:
        with self._lock:
            return len(self._tokens) + len(self._sessions)


class RevocationsNotRead(Exception):
    """The process has not yet read the revocations published before it started."""


class KafkaRevocations:
    """A ``RevocationCheck`` fed by identity's topic; run it with ``running()`` (an app lifespan).

    It answers from memory, so the verifier asks it on every request, a token it verified
    a moment ago included, without leaving the event loop.
    """

    # is_revoked looks in memory only: a request's event loop may ask it (TokenVerifier.known).
    answers_from_memory = True

    def __init__(self, bootstrap: str, *, client_id: str, topic: str = IDENTITY_EVENTS_V1,
                 revoked: RevokedIds | None = None, lookback: timedelta = LOOKBACK,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._bootstrap = bootstrap
        self._client_id = client_id
        self._topic = topic
        self.revoked = revoked or RevokedIds(clock=clock)
        self._lookback = lookback
        self._clock = clock
        self._caught_up = False
        # The next offset to read per partition, kept across reconnections.
        self._positions: dict[TopicPartition, int] = {}
        # The end offsets found at start: read up to these, the process is ready.
        self._start_ends: dict[TopicPartition, int] = {}

    @property
    def caught_up(self) -> bool:
        return self._caught_up

    def is_revoked(self, token_id: str, session_id: str | None) -> bool:
        if not self._caught_up:
            raise RevocationsUnknown("revocations published before this process started are not read yet")
        return self.revoked.is_revoked(token_id, session_id)

    async def readiness(self) -> None:
        """A /readyz check: fails until the revocations published before the start are read."""
        if not self._caught_up:
            behind = {tp.partition: (self._positions.get(tp), end) for tp, end in self._start_ends.items()}
            raise RevocationsNotRead(f"reading identity's revocations of the last {self._lookback}; "
                                     f"partition: (position, end at start) {behind or 'not connected yet'}")

    @contextlib.asynccontextmanager
    async def running(self, _app: object = None) -> AsyncIterator[None]:
        """Follows the topic while the context is open (usable as a FastAPI lifespan)."""
        task = asyncio.create_task(self.run(), name=f"{self._client_id}-revocations")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        """Reads until cancelled, reconnecting (with the revocations kept) when Kafka fails."""
        backoff = 0.5
        while True:
            consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, client_id=self._client_id,
                                        group_id=None, enable_auto_commit=False,
                                        # Never skip: were an offset gone, read from the start.
                                        auto_offset_reset="earliest")
            try:
                await ensure_topics(self._bootstrap, [self._topic])
                await consumer.start()
                backoff = 0.5  # connected: a later failure starts retrying quickly again
                await self._follow(consumer)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("cannot read revocations from Kafka at %s (%r); the %d known are kept, "
                               "new ones take effect once it answers; retrying in %.1fs",
                               self._bootstrap, error, len(self.revoked), backoff)
            finally:
                with contextlib.suppress(Exception):
                    await consumer.stop()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _follow(self, consumer: AIOKafkaConsumer) -> None:
        assigned = [TopicPartition(self._topic, p) for p in await self._partitions()]
        consumer.assign(assigned)
        new = [tp for tp in assigned if tp not in self._positions]
        if new:
            await self._start_at_lookback(consumer, new)
        for tp in assigned:
            consumer.seek(tp, self._positions[tp])
        forgotten_at = time.monotonic()
        while True:
            await self._note_positions(consumer, assigned)
            batches = await consumer.getmany(*assigned, timeout_ms=POLL_MS)
            for records in batches.values():
                for record in records:
                    self._apply(record)
            if time.monotonic() - forgotten_at >= FORGET_EVERY_SECONDS:
                self.revoked.forget_expired()
                forgotten_at = time.monotonic()
                # The consumer retries a lost broker quietly; asking it something says so
                # (the error reaches run(), which logs it and reconnects).
                await asyncio.wait_for(consumer.end_offsets(assigned), timeout=PROBE_TIMEOUT_SECONDS)

    async def _partitions(self) -> list[int]:
        # The consumer knows only the metadata of topics it follows; the admin client asks.
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, client_id=self._client_id)
        await admin.start()
        try:
            described = await admin.describe_topics([self._topic])
        finally:
            await admin.close()
        partitions = sorted(int(p["partition"]) for t in described if t["topic"] == self._topic
                            for p in t["partitions"])
        if not partitions:
            raise RuntimeError(f"topic {self._topic} has no partitions yet")
        return partitions

    async def _start_at_lookback(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        since_ms = int((self._clock() - self._lookback).timestamp() * 1000)
        found = await consumer.offsets_for_times(dict.fromkeys(partitions, since_ms))
        ends = await consumer.end_offsets(partitions)
        for tp in partitions:
            at = found.get(tp)
            # No record since then: nothing to read back on that partition.
            self._positions[tp] = at.offset if at is not None else ends[tp]
            self._start_ends[tp] = ends[tp]

    async def _note_positions(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        for tp in partitions:
            self._positions[tp] = await consumer.position(tp)
        if not self._caught_up and all(self._positions[tp] >= end for tp, end in self._start_ends.items()):
            self._caught_up = True
            logger.info("read identity's revocations up to the start (%d remembered); tokens are accepted",
                        len(self.revoked))

    def _apply(self, record: object) -> None:
        try:
            read = read_event(incoming_from_record(record))
        except PoisonEvent as poison:
            # Not ours to dead-letter (identity's subscribers do); a revocation is never
            # malformed by identity, so nothing that matters is lost.
            logger.warning("skipped an unreadable event on %s: %s", self._topic, poison)
            return
        if read is not None:
            self.revoked.apply(read[1])


def kafka_revocations(bootstrap: str | None, *, client_id: str) -> KafkaRevocations | None:
    """What a service's API process runs in the distributed mode (none without Kafka)."""
    return KafkaRevocations(bootstrap, client_id=client_id) if bootstrap else None
