"""Plan settings use cases: an organisation's custom fields, workflows, naming rules and
working calendar (data governance for every plan it makes)."""

from __future__ import annotations

import secrets
from datetime import date
from uuid import UUID

from trellis_planning.application.plan_access import PlanAccess, retried_on_conflict
from trellis_planning.domain.custom_fields import CustomField, changed_field, new_field
from trellis_planning.domain.naming import NamingSubject, new_naming_rule
from trellis_planning.domain.plan_errors import NamingRuleBroken, WorkflowRuleBroken
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.workflow import Status, StatusCategory, Workflow, new_workflow


class SettingsUseCases(PlanAccess):
    @retried_on_conflict
    def define_custom_field(
        self,
        *,
        organisation_id: UUID,
        name: str,
        type_: str,
        required: bool,
        choices: list[str],
        scope: str,
        meta: dict[str, str],
        field_id: str | None = None,
    ) -> CustomField:
        """A new field; its id is generated unless given, and never changes afterwards."""
        settings = self.plan_settings(organisation_id)
        field = new_field(
            field_id=field_id or f"f{secrets.token_hex(6)}",
            name=name,
            type_=type_,
            required=required,
            choices=choices,
            scope=scope,
        )
        settings.define_field(field, meta)
        self.save(settings)
        return field

    @retried_on_conflict
    def change_custom_field(
        self,
        *,
        organisation_id: UUID,
        field_id: str,
        meta: dict[str, str],
        name: str | None = None,
        required: bool | None = None,
        add_choices: list[str] | None = None,
    ) -> CustomField:
        settings = self.plan_settings(organisation_id)
        field = changed_field(settings.field(field_id), name=name, required=required, add_choices=add_choices)
        settings.change_field(field, meta)
        self.save(settings)
        return field

    @retried_on_conflict
    def retire_custom_field(
        self, *, organisation_id: UUID, field_id: str, meta: dict[str, str]
    ) -> CustomField:
        settings = self.plan_settings(organisation_id)
        settings.retire_field(field_id, meta)
        self.save(settings)
        return settings.field(field_id)

    @retried_on_conflict
    def define_workflow(
        self,
        *,
        organisation_id: UUID,
        workflow_id: str,
        name: str,
        statuses: list[tuple[str, str, str, int | None, bool]],
        transitions: dict[str, list[str]],
        initial: str | None,
        meta: dict[str, str],
    ) -> Workflow:
        """``statuses``: (key, name, category, wip_limit, retired) in board order."""
        settings = self.plan_settings(organisation_id)
        previous = settings.workflows().get(workflow_id)
        workflow = new_workflow(
            workflow_id=workflow_id,
            name=name,
            statuses=[
                Status(key=k, name=n.strip(), category=_category(c), wip_limit=w, retired=r)
                for k, n, c, w, r in statuses
            ],
            transitions=transitions,
            initial=initial,
            previous=previous,
        )
        settings.define_workflow(workflow, meta)
        self.save(settings)
        return workflow

    @retried_on_conflict
    def define_naming_rule(
        self, *, organisation_id: UUID, subject: str, pattern: str, description: str, meta: dict[str, str]
    ) -> None:
        settings = self.plan_settings(organisation_id)
        settings.define_naming_rule(
            new_naming_rule(subject=subject, pattern=pattern, description=description), meta
        )
        self.save(settings)

    @retried_on_conflict
    def remove_naming_rule(self, *, organisation_id: UUID, subject: str, meta: dict[str, str]) -> None:
        settings = self.plan_settings(organisation_id)
        try:
            settings.remove_naming_rule(NamingSubject(subject), meta)
        except ValueError:
            raise NamingRuleBroken(f"No naming rule applies to {subject!r}.") from None
        self.save(settings)

    @retried_on_conflict
    def define_calendar(
        self, *, organisation_id: UUID, weekend_days: list[int], holidays: list[date], meta: dict[str, str]
    ) -> PlanSettings:
        """Schedules follow the new calendar from their next change (or a recompute)."""
        settings = self.plan_settings(organisation_id)
        settings.define_calendar(weekend_days, holidays, meta)
        self.save(settings)
        return settings


def _category(value: str) -> StatusCategory:
    try:
        return StatusCategory(value)
    except ValueError:
        raise WorkflowRuleBroken(f"A status category is todo, in_progress or done, not {value!r}.") from None
