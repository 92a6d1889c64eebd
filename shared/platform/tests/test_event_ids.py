"""A CloudEvent's id is the UUID version 5 of its aggregate, version and type: a re-publish
carries the same id, so consumers recognise it."""

from uuid import UUID, uuid5

from hypothesis import given
from hypothesis import strategies as st

from trellis_platform.outgoing import _EVENT_ID_NAMESPACE, event_id


@given(st.uuids(), st.integers(min_value=1, max_value=2**62), st.text())
def test_an_event_id_is_the_uuid5_of_aggregate_version_and_type(aggregate: UUID, version: int,
                                                                 event_type: str) -> None:
    assert event_id(str(aggregate), version, event_type) == str(
        uuid5(_EVENT_ID_NAMESPACE, f"{aggregate}/{version}/{event_type}"))
