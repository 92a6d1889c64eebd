"""A time entry records a person's work on a day; nobody logs more than 24 hours a day."""

from datetime import date
from uuid import uuid4

import pytest

from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.time_entry import TimeEntry, WorkDone
from trellis_planning.domain.timesheet_day import TimesheetDay, timesheet_day_id

META = {"actor": "staff:alice"}


def work(**overrides: object) -> WorkDone:
    fields: dict[str, object] = {
        "project_id": uuid4(),
        "task_id": uuid4(),
        "person_id": uuid4(),
        "worked_on": date(2026, 3, 3),
        "minutes": 90,
        "billable": True,
        "note": "Measured the walls",
    }
    fields.update(overrides)
    return WorkDone(**fields)  # type: ignore[arg-type]


def test_logging_records_the_day_worked_apart_from_when_it_was_recorded() -> None:
    entry = TimeEntry.log(organisation_id=uuid4(), work=work(worked_on=date(2020, 1, 6)), meta=META)
    (logged,) = entry.collect_events()
    assert isinstance(logged, TimeEntry.Logged)
    assert logged.worked_on == date(2020, 1, 6)
    assert logged.timestamp.date() != logged.worked_on, "the event's timestamp is when it was recorded"
    assert logged.timestamp.tzinfo is not None
    assert logged.meta == META


@pytest.mark.parametrize("minutes", [0, -30, 24 * 60 + 1])
def test_an_entry_lasts_more_than_nothing_and_at_most_a_day(minutes: int) -> None:
    with pytest.raises(PlanningRuleBroken, match="at most 1440 minutes"):
        TimeEntry.log(organisation_id=uuid4(), work=work(minutes=minutes), meta=META)


def test_a_whole_day_is_allowed_and_notes_are_trimmed() -> None:
    entry = TimeEntry.log(
        organisation_id=uuid4(), work=work(minutes=24 * 60, note="  night shift "), meta=META
    )
    assert entry.work.minutes == 1440
    assert entry.work.note == "night shift"


def test_a_note_has_a_length_limit() -> None:
    with pytest.raises(PlanningRuleBroken, match="note"):
        TimeEntry.log(organisation_id=uuid4(), work=work(note="x" * 2001), meta=META)


def test_a_correction_carries_the_full_new_state_and_an_unchanged_one_records_nothing() -> None:
    before = work()
    entry = TimeEntry.log(organisation_id=uuid4(), work=before, meta=META)
    entry.collect_events()
    assert entry.correct(before, META) is False
    assert entry.collect_events() == []
    assert entry.correct(work(project_id=before.project_id, minutes=120), META) is True
    (corrected,) = entry.collect_events()
    assert isinstance(corrected, TimeEntry.Corrected)
    assert (corrected.minutes, corrected.note, corrected.organisation_id) == (
        120,
        before.note,
        entry.organisation_id,
    )


def test_a_deleted_entry_cannot_be_corrected_or_deleted_again() -> None:
    entry = TimeEntry.log(organisation_id=uuid4(), work=work(), meta=META)
    entry.delete(META)
    assert entry.is_deleted
    with pytest.raises(PlanningRuleBroken, match="deleted"):
        entry.correct(work(minutes=5), META)
    with pytest.raises(PlanningRuleBroken, match="deleted"):
        entry.delete(META)


def new_day() -> TimesheetDay:
    return TimesheetDay(organisation_id=uuid4(), person_id=uuid4(), day=date(2026, 3, 3), meta=META)


def test_a_persons_day_takes_up_to_24_hours_across_entries() -> None:
    day = new_day()
    day.count(uuid4(), 1000, META)
    day.count(uuid4(), 440, META)
    assert day.total_minutes == 1440
    with pytest.raises(PlanningRuleBroken, match="exceed 24 hours"):
        day.count(uuid4(), 1, META)


def test_recounting_an_entry_replaces_its_minutes_and_releasing_frees_them() -> None:
    day = new_day()
    entry_id = uuid4()
    day.count(entry_id, 1000, META)
    day.count(entry_id, 1440, META)
    assert day.total_minutes == 1440
    day.release(entry_id, META)
    assert day.total_minutes == 0
    day.count(uuid4(), 1440, META)


def test_each_person_and_day_has_exactly_one_timesheet_day() -> None:
    organisation, person = uuid4(), uuid4()
    day = TimesheetDay(organisation_id=organisation, person_id=person, day=date(2026, 3, 3), meta=META)
    assert day.id == timesheet_day_id(organisation, person, date(2026, 3, 3))
    assert day.id != timesheet_day_id(organisation, person, date(2026, 3, 4))
    assert day.id != timesheet_day_id(uuid4(), person, date(2026, 3, 3))
