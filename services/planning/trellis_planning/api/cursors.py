"""Opaque page cursors: the last key of a page, for the next page to start after."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from uuid import UUID

from trellis_platform.problems import Problem


def encode_cursor(*key: str | date | UUID) -> str:
    text = json.dumps([str(part) if not isinstance(part, str) else part for part in key])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _parts(cursor: str) -> list[str]:
    try:
        parts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parts = None
    if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts) or len(parts) != 2:
        raise Problem(422, "Invalid request", "query.cursor: not a cursor this list gave out")
    return parts


def date_cursor(cursor: str | None) -> tuple[date, UUID] | None:
    if cursor is None:
        return None
    day, identifier = _parts(cursor)
    try:
        return date.fromisoformat(day), UUID(identifier)
    except ValueError:
        raise Problem(422, "Invalid request", "query.cursor: not a cursor this list gave out") from None


def name_cursor(cursor: str | None) -> tuple[str, UUID] | None:
    if cursor is None:
        return None
    name, identifier = _parts(cursor)
    try:
        return name, UUID(identifier)
    except ValueError:
        raise Problem(422, "Invalid request", "query.cursor: not a cursor this list gave out") from None
