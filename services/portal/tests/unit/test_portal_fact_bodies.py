"""Fact bodies are kept as JSON would carry them: ids, dates and decimals as strings, enum
members as their values, tuples as lists. Exactly what a JSON round trip gives."""

from __future__ import annotations

import json
from datetime import UTC
from enum import Enum, IntEnum, StrEnum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from trellis_portal.views.facts import _text, plain


class Colour(str, Enum):  # noqa: UP042 - the older spelling json also meets
    RED = "red"


class Rank(IntEnum):
    SECOND = 2


class Kind(StrEnum):
    TASK = "task"


ENUMS = st.sampled_from([Colour.RED, Rank.SECOND, Kind.TASK])
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(), st.uuids(),
                   st.dates(), st.datetimes(timezones=st.just(UTC)), st.decimals(allow_nan=False), ENUMS)
KEYS = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False), ENUMS)
VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=500)
@given(st.dictionaries(KEYS, VALUES, max_size=5))
def test_a_body_is_what_a_json_round_trip_makes_of_it(body: dict[Any, Any]) -> None:
    expected = json.loads(json.dumps(body, default=_text))
    kept = plain(body)
    assert kept == expected
    assert json.dumps(kept) == json.dumps(expected), "the same types too: true is not 1"
