"""Concurrent saves are grouped into one append; a conflict fails only its own command."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Recording

from trellis_platform.group_commit import GroupCommit, GroupCommitting


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text

    @event("Edited")
    def edit(self, text: str) -> None:
        self.text = text


class Notes(GroupCommitting):
    name = "notes"


def pending(*aggregates: Any) -> ProcessingEvent[uuid.UUID]:
    processing_event: ProcessingEvent[uuid.UUID] = ProcessingEvent()
    processing_event.collect_events(*aggregates)
    return processing_event


class GatedWrites:
    """A write function whose first call waits until released, so that others queue."""

    def __init__(self, fail_when: Any = None) -> None:
        self.groups: list[int] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail_when = fail_when

    def __call__(self, processing_event: ProcessingEvent[uuid.UUID]) -> list[Recording[uuid.UUID]]:
        self.groups.append(len(processing_event.events))
        if len(self.groups) == 1:
            self.first_started.set()
            self.release.wait(10)
        if self.fail_when is not None and self.fail_when(processing_event):
            raise IntegrityError("conflict")
        return [Recording(e, n) for n, e in enumerate(processing_event.events)]  # type: ignore[arg-type]


def run_threads(targets: list[Any]) -> list[threading.Thread]:
    threads = [threading.Thread(target=t) for t in targets]
    for thread in threads:
        thread.start()
    return threads


def test_commands_arriving_during_an_append_share_the_next_one() -> None:
    writes = GatedWrites()
    group = GroupCommit(writes)
    results: dict[int, list[Recording[uuid.UUID]]] = {}

    def save(n: int) -> None:
        results[n] = group.record(pending(Note(text=f"note {n}")))

    first = run_threads([lambda: save(0)])
    assert writes.first_started.wait(10)
    others = run_threads([lambda n=n: save(n) for n in range(1, 9)])
    while len(group._queue) < 8:  # all eight wait behind the first append
        threading.Event().wait(0.01)
    writes.release.set()
    for thread in first + others:
        thread.join(10)

    assert writes.groups == [1, 8], "one append for the first, one for the eight that waited"
    assert all(len(results[n]) == 1 for n in range(9)), "each command gets its own event's recording"
    assert {results[n][0].domain_event.text for n in range(9)} == {f"note {n}" for n in range(9)}  # type: ignore[attr-defined]


def test_a_group_that_cannot_be_written_whole_is_written_member_by_member() -> None:
    doomed = "conflicting note"
    writes = GatedWrites(fail_when=lambda pe: any(getattr(e, "text", "") == doomed for e in pe.events))
    group = GroupCommit(writes)
    outcomes: dict[str, object] = {}

    def save(text: str) -> None:
        try:
            outcomes[text] = group.record(pending(Note(text=text)))
        except IntegrityError as error:
            outcomes[text] = error

    first = run_threads([lambda: save("first")])
    assert writes.first_started.wait(10)
    texts = ["a", doomed, "b", "c"]
    others = run_threads([lambda t=t: save(t) for t in texts])
    while len(group._queue) < len(texts):
        threading.Event().wait(0.01)
    writes.release.set()
    for thread in first + others:
        thread.join(10)

    assert isinstance(outcomes[doomed], IntegrityError), "the conflict fails its own command"
    assert all(isinstance(outcomes[t], list) for t in ["first", "a", "b", "c"]), "and only that one"
    assert writes.groups == [1, 4, 1, 1, 1, 1], "the group of four failed, then each was written alone"


def test_an_application_saves_concurrently_through_its_group_commit() -> None:
    app = Notes()
    notes = [Note(text=f"note {n}") for n in range(40)]
    threads = run_threads([lambda note=note: app.save(note) for note in notes])
    for thread in threads:
        thread.join(10)
    stored = {str(app.repository.get(note.id).text) for note in notes}
    assert stored == {f"note {n}" for n in range(40)}
    assert len(app.recorder.select_notifications(1, 100)) == 40


def test_a_stale_save_still_conflicts_as_without_grouping() -> None:
    app = Notes()
    note = Note(text="draft")
    app.save(note)
    first: Note = app.repository.get(note.id)
    second: Note = app.repository.get(note.id)
    first.edit("one")
    second.edit("two")
    app.save(first)
    with pytest.raises(IntegrityError):
        app.save(second)
    assert app.repository.get(note.id).text == "one"
