"""What can go wrong with the plan, named so the API can say exactly which rule broke."""

from __future__ import annotations

from uuid import UUID

from trellis_planning.domain.errors import PlanningRuleBroken


class NotInOrganisation(LookupError):
    """No such thing in this organisation: it does not exist, or belongs to another tenant
    (never said which)."""

    def __init__(self, kind: str, identifier: UUID | str) -> None:
        super().__init__(f"No {kind} {identifier} in this organisation.")
        self.kind = kind
        self.identifier = identifier


class WorkflowRuleBroken(PlanningRuleBroken):
    """A status change the organisation's workflow does not allow."""


class NamingRuleBroken(PlanningRuleBroken):
    """A name that does not follow the organisation's naming rule."""


class CustomFieldInvalid(PlanningRuleBroken):
    """A custom field value of the wrong type, or a required one missing."""


class DependencyRejected(PlanningRuleBroken):
    """A dependency that would make the plan impossible or cross a boundary."""


class DateOutsideProject(PlanningRuleBroken):
    """A date that lies before the project starts or after it ends."""
