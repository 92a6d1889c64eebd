"""A transport's repeated complaints (aiokafka while Kafka is down) are held back: the
first few of a window are logged, then none until the window ends, and the next says how
many alike were held back; other records, and other sentences of the same logger, pass."""

from __future__ import annotations

import logging

from trellis_platform.logs import RepeatsHeldBack


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def record(name: str, msg: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def passed(held_back: RepeatsHeldBack, records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if held_back.filter(r)]


def test_a_run_of_alike_complaints_is_logged_a_few_times_per_window_with_the_count() -> None:
    clock = Clock()
    held_back = RepeatsHeldBack(("aiokafka",), window_seconds=10, burst=2, clock=clock)
    unable = "Unable connect to node with id %s: %s"
    first = passed(held_back, [record("aiokafka", unable, 1, f"[Errno 111] try {n}") for n in range(500)])
    assert first == ["Unable connect to node with id 1: [Errno 111] try 0",
                     "Unable connect to node with id 1: [Errno 111] try 1"]

    clock.now = 10.5
    later = passed(held_back, [record("aiokafka", unable, 1, "[Errno 111] again")])
    assert later == [
        "Unable connect to node with id 1: [Errno 111] again [498 alike held back in the last 10s]"]


def test_other_sentences_levels_and_loggers_pass() -> None:
    held_back = RepeatsHeldBack(("aiokafka",), window_seconds=10, burst=1, clock=Clock())
    records = [
        record("aiokafka", "Unable connect to node with id %s", 1),
        record("aiokafka", "Unable connect to node with id %s", 1, level=logging.WARNING),
        record("aiokafka.consumer.fetcher", "Unable connect to node with id %s", 1),
        record("aiokafka", "Failed fetch messages from %s", 1),
        record("trellis_portal", "the same, said twice"),
        record("trellis_portal", "the same, said twice"),
    ]
    assert len(passed(held_back, records)) == len(records)
