"""Aggregate ids derived from what they are about: one budget per project, one rate
card per priced subject, one set of thresholds per project. Deriving the id makes
"the budget of project P" a lookup, and a second "create" a conflict, not a duplicate."""

from __future__ import annotations

from uuid import UUID, uuid5

_NAMESPACE = UUID("0b6c3f0e-58f1-4c38-a1f6-2a7f3c1f9d41")


def derived_id(kind: str, *parts: object) -> UUID:
    return uuid5(_NAMESPACE, "/".join([kind, *(str(p) for p in parts)]))
