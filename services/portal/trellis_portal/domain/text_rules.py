"""Limits on the words people type into the portal."""

from __future__ import annotations

from trellis_portal.domain.errors import PortalRuleBroken

MAX_TITLE = 200
MAX_COMMENT = 2000
MAX_MESSAGE = 5000


def required(text: str, what: str, limit: int) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise PortalRuleBroken(f"{what} cannot be empty.")
    return optional(cleaned, what, limit)


def optional(text: str, what: str, limit: int) -> str:
    cleaned = text.strip()
    if len(cleaned) > limit:
        raise PortalRuleBroken(f"{what} has at most {limit} characters ({len(cleaned)} given).")
    return cleaned
