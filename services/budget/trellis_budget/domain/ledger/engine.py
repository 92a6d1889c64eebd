"""Turns what happened (time logged, corrected, deleted; bookings; expenses; commitments;
rates and people changing) into ledger entries.

Each source keeps the lines it currently has booked. When anything that prices it
changes, its lines are priced again and only the days that differ are booked: a
reversal of the old line and the new line. So the ledger's net per source is always
what the source costs at the rates known now, and its history is never edited.

Retroactive rate changes: a rate set or revised for past dates re-prices the entries
worked in those dates, through compensating entries recorded at the moment of the rate
change (cause ``rate_changed``). Nothing is rewritten; the ledger as recorded before
that moment still reads as it did. Time logged late is priced at the rate in force on
the day worked, because pricing always looks up the day worked.

Duplicates: a source's event whose aggregate version is not newer than the version
already applied changes nothing, so a re-published or redelivered event is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from trellis_budget.domain.errors import BudgetRuleBroken
from trellis_budget.domain.ledger.model import (
    Entry,
    Line,
    Person,
    Source,
    SourceFacts,
    SourceKind,
    SubjectRate,
)
from trellis_budget.domain.ledger.pricing import lines_for
from trellis_budget.domain.ledger.state import LedgerState
from trellis_budget.domain.rate_card import SubjectKind

_Pricing = tuple[Person | None, list[SubjectRate], list[SubjectRate]]
_NO_PRICING: _Pricing = (None, [], [])


class LedgerEngine:
    def __init__(self, state: LedgerState) -> None:
        self.state = state
        self.entries: list[Entry] = []
        self.touched_projects: set[tuple[UUID, UUID]] = set()
        self._pricing_cache: dict[tuple[UUID, UUID, SourceKind], _Pricing] = {}

    def take_entries(self) -> list[Entry]:
        entries, self.entries = self.entries, []
        return entries

    # -- sources -------------------------------------------------------------------------

    def put_source(self, facts: SourceFacts, *, version: int, recorded_at: datetime, cause: str) -> None:
        existing = self.state.source(facts.source_id)
        _check_tenant(existing, facts.organisation_id)
        if existing is not None and (version <= existing.version or existing.removed):
            return
        lines = tuple(self._price(facts))
        if existing is None:
            self._book(facts, (), facts, lines, recorded_at, cause)
        else:
            self._book(existing.facts, existing.lines, facts, lines, recorded_at, cause)
        self.state.put_source(Source(facts, version, lines))

    def remove_source(
        self, source_id: UUID, organisation_id: UUID, *, version: int, recorded_at: datetime, cause: str
    ) -> None:
        existing = self.state.source(source_id)
        _check_tenant(existing, organisation_id)
        if existing is None or version <= existing.version or existing.removed:
            return
        self._book(existing.facts, existing.lines, existing.facts, (), recorded_at, cause)
        self.state.put_source(Source(existing.facts, version, (), removed=True))

    # -- what prices them ----------------------------------------------------------------

    def put_person(self, person: Person, *, recorded_at: datetime) -> None:
        existing = self.state.person(person.organisation_id, person.resource_id)
        if existing is not None and person.version <= existing.version:
            return
        self.state.put_person(person)
        self._pricing_cache.clear()
        if existing is None or (existing.role, existing.hours_per_day) != (person.role, person.hours_per_day):
            self._reprice(
                self.state.sources_of(person.organisation_id, [person.resource_id], None, None),
                recorded_at,
                "resource_changed",
            )

    def put_rate(self, rate: SubjectRate, *, recorded_at: datetime) -> None:
        existing = self.state.rate(rate.period.period_id)
        if existing is not None and rate.version <= existing.version:
            return
        self.state.put_rate(rate)
        self._pricing_cache.clear()
        first, last = _window(rate, existing)
        subjects = self._subjects_priced_by(rate)
        self._reprice(
            self.state.sources_of(rate.organisation_id, subjects, first, last), recorded_at, "rate_changed"
        )

    # -- internals -----------------------------------------------------------------------

    def _subjects_priced_by(self, rate: SubjectRate) -> list[UUID]:
        if rate.subject_kind == SubjectKind.ROLE.value:
            return self.state.people_with_role(rate.organisation_id, rate.subject)
        return [UUID(rate.subject)]

    def _price(self, facts: SourceFacts) -> list[Line]:
        person, own_rates, role_rates = self._pricing(facts)
        return lines_for(facts, person, own_rates, role_rates)

    def _pricing(self, facts: SourceFacts) -> _Pricing:
        """What prices a source's subject; remembered until a person or rate changes."""
        if facts.subject_id is None:
            return _NO_PRICING
        key = (facts.organisation_id, facts.subject_id, facts.kind)
        found = self._pricing_cache.get(key)
        if found is not None:
            return found
        org, subject = facts.organisation_id, str(facts.subject_id)
        person = None
        own_rates: list[SubjectRate] = []
        role_rates: list[SubjectRate] = []
        if facts.kind is SourceKind.TIME:
            person = self.state.person(org, facts.subject_id)
            own_rates = self.state.rates(org, SubjectKind.PERSON.value, subject)
            if person is not None and person.role:
                role_rates = self.state.rates(org, SubjectKind.ROLE.value, person.role)
        elif facts.kind is SourceKind.BOOKING:
            own_rates = self.state.rates(org, SubjectKind.EQUIPMENT.value, subject)
        found = self._pricing_cache[key] = (person, own_rates, role_rates)
        return found

    def _reprice(self, sources: Iterable[Source], recorded_at: datetime, cause: str) -> None:
        for source in sorted(sources, key=lambda s: s.source_id):
            if source.removed:
                continue
            lines = tuple(self._price(source.facts))
            if lines != source.lines:
                self._book(source.facts, source.lines, source.facts, lines, recorded_at, cause)
                self.state.put_source(Source(source.facts, source.version, lines))

    def _book(
        self,
        old_facts: SourceFacts,
        old: Iterable[Line],
        new_facts: SourceFacts,
        new: Iterable[Line],
        recorded_at: datetime,
        cause: str,
    ) -> None:
        """Books the difference: per day, a reversal of the old line and the new line.

        When what an entry is booked against changed (project, category, milestone),
        every old line is reversed against the old and every new one booked on the new.
        """
        before = {line.worked_on: line for line in old}
        after = {line.worked_on: line for line in new}
        moved = _booked_against(old_facts) != _booked_against(new_facts)
        for day in sorted(before.keys() | after.keys()):
            was, now = before.get(day), after.get(day)
            if was == now and not moved:
                continue
            if was is not None and was.costed:
                self.entries.append(_entry(old_facts, was, recorded_at, cause, reversal=True))
                self.touched_projects.add((old_facts.organisation_id, old_facts.project_id))
            if now is not None and now.costed:
                self.entries.append(_entry(new_facts, now, recorded_at, cause, reversal=False))
                self.touched_projects.add((new_facts.organisation_id, new_facts.project_id))


def _check_tenant(existing: Source | None, organisation_id: UUID) -> None:
    if existing is not None and existing.facts.organisation_id != organisation_id:
        raise BudgetRuleBroken(f"Cost source {existing.source_id} belongs to another organisation.")


def _booked_against(facts: SourceFacts) -> tuple[object, ...]:
    return (
        facts.organisation_id,
        facts.project_id,
        facts.kind,
        facts.category,
        facts.cost_kind,
        facts.milestone_id,
    )


def _window(rate: SubjectRate, previous: SubjectRate | None) -> tuple[date, date | None]:
    """The days whose price may have changed: the old and new period together."""
    periods = [rate.period] if previous is None else [rate.period, previous.period]
    first = min(p.effective_from for p in periods)
    last = (
        None
        if any(p.effective_to is None for p in periods)
        else max(p.effective_to for p in periods if p.effective_to is not None)
    )
    return first, last


def _entry(facts: SourceFacts, line: Line, recorded_at: datetime, cause: str, *, reversal: bool) -> Entry:
    assert line.amount is not None
    assert line.currency is not None
    sign = Decimal(-1) if reversal else Decimal(1)
    return Entry(
        organisation_id=facts.organisation_id,
        project_id=facts.project_id,
        source_kind=facts.kind.value,
        source_id=facts.source_id,
        category=facts.category,
        cost_kind=facts.cost_kind.value,
        milestone_id=facts.milestone_id,
        worked_on=line.worked_on,
        quantity=sign * line.quantity,
        unit=line.unit,
        rate=line.rate,
        rate_ref=line.rate_ref,
        amount=sign * line.amount,
        bill_amount=sign * (line.bill_amount or Decimal(0)),
        currency=line.currency,
        cause=cause,
        reversal=reversal,
        recorded_at=recorded_at,
    )
