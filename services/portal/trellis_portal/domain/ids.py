"""Ids derived from what they are about, so that "one per X" holds by construction:
saving a second aggregate with the same id fails in the event store."""

from __future__ import annotations

from uuid import UUID, uuid5

_NAMESPACE = UUID("2b0f6a9e-5c1d-4f43-9e36-7d8a1c2b4e50")


def access_id(project_id: UUID) -> UUID:
    """One access record (grants and visibility) per project."""
    return uuid5(_NAMESPACE, f"project-access/{project_id}")


def change_order_approval_id(change_order_id: UUID) -> UUID:
    """A change order is decided by the client once."""
    return uuid5(_NAMESPACE, f"change-order-approval/{change_order_id}")


def survey_id(milestone_id: UUID) -> UUID:
    """One satisfaction survey per completed milestone."""
    return uuid5(_NAMESPACE, f"survey/{milestone_id}")


def survey_response_id(survey: UUID, client_user_id: UUID) -> UUID:
    """One response per user and survey."""
    return uuid5(_NAMESPACE, f"survey-response/{survey}/{client_user_id}")
