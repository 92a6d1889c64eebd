"""The token buckets behind every rate limit, on a clock the test turns."""

from __future__ import annotations

import pytest

from trellis_platform.auth.throttle import Buckets, InvalidRate, Rate, retry_after_header


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "per_second", "burst"),
    [("100/s", 100, 100), ("20/min", 20 / 60, 20), ("600/min,burst=50", 10, 50),
     ("60/hour, burst=5", 1 / 60, 5)],
)
def test_rates_read_as_people_write_them(text: str, per_second: float, burst: float) -> None:
    assert Rate.parse(text) == Rate(per_second=per_second, burst=burst)


@pytest.mark.parametrize("text", ["", "100", "0/s", "5/fortnight", "10/s,burst=0", "ten/s"])
def test_nonsense_rates_are_refused(text: str) -> None:
    with pytest.raises(InvalidRate):
        Rate.parse(text)


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    clock = Clock()
    buckets = Buckets(Rate.parse("60/min,burst=3"), clock=clock)
    assert [buckets.take("tenant") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("tenant") == pytest.approx(1.0)
    assert buckets.take("other tenant") == 0, "each key has its own bucket"
    clock.now += 0.5
    assert buckets.take("tenant") == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.take("tenant") == 0


def test_a_refund_gives_a_token_back() -> None:
    buckets = Buckets(Rate.parse("1/hour,burst=1"), clock=Clock())
    assert buckets.take("olivia@acme.test") == 0
    buckets.refund("olivia@acme.test")
    assert buckets.take("olivia@acme.test") == 0
    assert buckets.take("olivia@acme.test") > 0


def test_memory_is_bounded_by_forgetting_the_least_recently_used() -> None:
    buckets = Buckets(Rate.parse("1/hour,burst=1"), clock=Clock(), max_keys=2)
    for key in ("a", "b", "c"):
        buckets.take(key)
    assert buckets.take("a") == 0, "forgotten: a full bucket again"
    assert buckets.take("c") > 0


@pytest.mark.parametrize(("seconds", "header"), [(0.01, "1"), (1.0, "1"), (1.2, "2"), (59.9, "60")])
def test_retry_after_is_whole_seconds_rounded_up(seconds: float, header: str) -> None:
    assert retry_after_header(seconds) == header
