"""Saving that turns a lost race into a conflict the caller can retry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError

from trellis_portal.domain.errors import Conflict


@contextmanager
def conflicts_as(message: str) -> Iterator[None]:
    """Another command saved the same aggregate version first (or created the same id)."""
    try:
        yield
    except IntegrityError:
        raise Conflict(message) from None
