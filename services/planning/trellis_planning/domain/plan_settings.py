"""An organisation's plan settings: custom fields, workflows, naming rules, working calendar.

One aggregate per organisation, its id derived from the organisation's, so any command
can find it without an index. Until an organisation changes anything it has the
defaults: no custom fields, the standard workflow, no naming rules, Monday to Friday.

Stored event topics are ``trellis_planning.domain.plan_settings:PlanSettings.<Event>``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.custom_fields import CustomField, FieldScope
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.naming import NamingRule, NamingSubject
from trellis_planning.domain.plan_errors import CustomFieldInvalid, WorkflowRuleBroken
from trellis_planning.domain.workflow import DEFAULT_WORKFLOW, DEFAULT_WORKFLOW_ID, Workflow

_SETTINGS_NAMESPACE = uuid5(NAMESPACE_URL, "https://trellis.local/planning/plan-settings")
DEFAULT_WEEKEND = (5, 6)
MAX_FIELDS = 200
MAX_WORKFLOWS = 50
MAX_HOLIDAYS = 2_000


def settings_id(organisation_id: UUID) -> UUID:
    return uuid5(_SETTINGS_NAMESPACE, str(organisation_id))


class PlanSettings(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID

    @staticmethod
    def create_id(organisation_id: UUID) -> UUID:
        return settings_id(organisation_id)

    @event(Created)
    def __init__(self, *, organisation_id: UUID) -> None:
        self.organisation_id = organisation_id
        self.field_records: dict[str, dict[str, Any]] = {}
        self.workflow_records: dict[str, dict[str, Any]] = {}
        self.naming_records: dict[str, dict[str, Any]] = {}
        self.weekend_days: list[int] = list(DEFAULT_WEEKEND)
        self.holidays: list[date] = []
        self.template_ids: list[UUID] = []

    # -- reading --------------------------------------------------------------------------

    def fields(self) -> dict[str, CustomField]:
        return {k: CustomField.from_record(v) for k, v in self.field_records.items()}

    def field(self, field_id: str) -> CustomField:
        try:
            return CustomField.from_record(self.field_records[field_id])
        except KeyError:
            raise CustomFieldInvalid(f"No custom field {field_id!r} in this organisation.") from None

    def applicable_field_ids(self, project_field_ids: list[str]) -> set[str]:
        """Organisation-wide fields, and the project-scoped ones the project adopted."""
        return {
            f.id
            for f in self.fields().values()
            if not f.retired and (f.scope == FieldScope.ORGANISATION or f.id in project_field_ids)
        }

    def workflows(self) -> dict[str, Workflow]:
        found = {DEFAULT_WORKFLOW_ID: DEFAULT_WORKFLOW}
        found.update({k: Workflow.from_record(v) for k, v in self.workflow_records.items()})
        return found

    def workflow(self, workflow_id: str) -> Workflow:
        try:
            return self.workflows()[workflow_id]
        except KeyError:
            raise WorkflowRuleBroken(f"No workflow {workflow_id!r} in this organisation.") from None

    def naming_rules(self) -> dict[NamingSubject, NamingRule]:
        return {NamingSubject(k): NamingRule.from_record(v) for k, v in self.naming_records.items()}

    # -- custom fields --------------------------------------------------------------------

    class CustomFieldDefined(Aggregate.Event):
        organisation_id: UUID
        field: dict[str, Any]
        meta: dict[str, str]

    def define_field(self, field: CustomField, meta: dict[str, str]) -> None:
        if field.id in self.field_records:
            raise CustomFieldInvalid(f"Custom field id {field.id!r} is taken.")
        if len(self.field_records) >= MAX_FIELDS:
            raise CustomFieldInvalid(f"An organisation has at most {MAX_FIELDS} custom fields.")
        self._check_name_free(field)
        self._field_defined(organisation_id=self.organisation_id, field=field.to_record(), meta=meta)

    def adopt_field(self, field: CustomField, meta: dict[str, str]) -> None:
        """Defines a template's field unless the organisation already has one with its id."""
        if field.id not in self.field_records:
            self.define_field(field, meta)

    @event(CustomFieldDefined)
    def _field_defined(self, organisation_id: UUID, field: dict[str, Any], meta: dict[str, str]) -> None:
        self.field_records[field["id"]] = dict(field)

    class CustomFieldChanged(Aggregate.Event):
        """The field's full definition after a rename, a change of required, or new choices."""

        organisation_id: UUID
        field: dict[str, Any]
        meta: dict[str, str]

    def change_field(self, field: CustomField, meta: dict[str, str]) -> None:
        current = self.field(field.id)
        if (field.type, field.scope) != (current.type, current.scope):
            raise CustomFieldInvalid(f"The {current.label()} keeps its type and scope.")
        self._check_name_free(field)
        if field != current:
            self._field_changed(organisation_id=self.organisation_id, field=field.to_record(), meta=meta)

    @event(CustomFieldChanged)
    def _field_changed(self, organisation_id: UUID, field: dict[str, Any], meta: dict[str, str]) -> None:
        self.field_records[field["id"]] = dict(field)

    class CustomFieldRetired(Aggregate.Event):
        organisation_id: UUID
        field_id: str
        meta: dict[str, str]

    def retire_field(self, field_id: str, meta: dict[str, str]) -> None:
        if not self.field(field_id).retired:
            self._field_retired(organisation_id=self.organisation_id, field_id=field_id, meta=meta)

    @event(CustomFieldRetired)
    def _field_retired(self, organisation_id: UUID, field_id: str, meta: dict[str, str]) -> None:
        self.field_records[field_id] = {**self.field_records[field_id], "retired": True}

    def _check_name_free(self, field: CustomField) -> None:
        for other in self.fields().values():
            if other.id != field.id and not other.retired and other.name.casefold() == field.name.casefold():
                raise CustomFieldInvalid(
                    f"Another custom field is already named {field.name!r} ({other.id})."
                )

    # -- workflows ------------------------------------------------------------------------

    class WorkflowDefined(Aggregate.Event):
        organisation_id: UUID
        workflow: dict[str, Any]
        meta: dict[str, str]

    def define_workflow(self, workflow: Workflow, meta: dict[str, str]) -> None:
        if workflow.id not in self.workflows() and len(self.workflow_records) >= MAX_WORKFLOWS:
            raise WorkflowRuleBroken(f"An organisation has at most {MAX_WORKFLOWS} workflows.")
        if self.workflows().get(workflow.id) != workflow:
            self._workflow_defined(
                organisation_id=self.organisation_id, workflow=workflow.to_record(), meta=meta
            )

    def adopt_workflow(self, workflow: Workflow, meta: dict[str, str]) -> Workflow:
        """The organisation's workflow with this id; a template's own when it has none yet."""
        existing = self.workflows().get(workflow.id)
        if existing is not None:
            return existing
        self.define_workflow(workflow, meta)
        return workflow

    @event(WorkflowDefined)
    def _workflow_defined(
        self, organisation_id: UUID, workflow: dict[str, Any], meta: dict[str, str]
    ) -> None:
        self.workflow_records[workflow["id"]] = dict(workflow)

    # -- naming rules ---------------------------------------------------------------------

    class NamingRuleDefined(Aggregate.Event):
        organisation_id: UUID
        rule: dict[str, Any]
        meta: dict[str, str]

    def define_naming_rule(self, rule: NamingRule, meta: dict[str, str]) -> None:
        if self.naming_records.get(rule.subject.value) != rule.to_record():
            self._naming_rule_defined(organisation_id=self.organisation_id, rule=rule.to_record(), meta=meta)

    @event(NamingRuleDefined)
    def _naming_rule_defined(self, organisation_id: UUID, rule: dict[str, Any], meta: dict[str, str]) -> None:
        self.naming_records[rule["subject"]] = dict(rule)

    class NamingRuleRemoved(Aggregate.Event):
        organisation_id: UUID
        subject: str
        meta: dict[str, str]

    def remove_naming_rule(self, subject: NamingSubject, meta: dict[str, str]) -> None:
        if subject.value in self.naming_records:
            self._naming_rule_removed(organisation_id=self.organisation_id, subject=subject.value, meta=meta)

    @event(NamingRuleRemoved)
    def _naming_rule_removed(self, organisation_id: UUID, subject: str, meta: dict[str, str]) -> None:
        del self.naming_records[subject]

    # -- working calendar -----------------------------------------------------------------

    class CalendarDefined(Aggregate.Event):
        """Weekend days are Monday=0 .. Sunday=6; holidays are days nobody works."""

        organisation_id: UUID
        weekend_days: list[int]
        holidays: list[date]
        meta: dict[str, str]

    def define_calendar(self, weekend_days: list[int], holidays: list[date], meta: dict[str, str]) -> None:
        weekend = sorted(set(weekend_days))
        if any(d not in range(7) for d in weekend) or len(weekend) == 7:
            raise PlanningRuleBroken(
                "Weekend days are 0 (Monday) to 6 (Sunday), and at least one weekday is worked."
            )
        days = sorted(set(holidays))
        if len(days) > MAX_HOLIDAYS:
            raise PlanningRuleBroken(f"A calendar has at most {MAX_HOLIDAYS} holidays.")
        if (weekend, days) != (self.weekend_days, self.holidays):
            self._calendar_defined(
                organisation_id=self.organisation_id, weekend_days=weekend, holidays=days, meta=meta
            )

    @event(CalendarDefined)
    def _calendar_defined(
        self, organisation_id: UUID, weekend_days: list[int], holidays: list[date], meta: dict[str, str]
    ) -> None:
        self.weekend_days = list(weekend_days)
        self.holidays = list(holidays)

    # -- the organisation's own templates (an index: each is a Template aggregate) --------

    class TemplateSaved(Aggregate.Event):
        template_id: UUID
        meta: dict[str, str]

    def add_template(self, template_id: UUID, meta: dict[str, str]) -> None:
        if template_id not in self.template_ids:
            self._template_saved(template_id=template_id, meta=meta)

    @event(TemplateSaved)
    def _template_saved(self, template_id: UUID, meta: dict[str, str]) -> None:
        self.template_ids.append(template_id)
