"""Reading an incoming integration event: envelope, contract and tenant, or poison."""

from __future__ import annotations

from pydantic import ValidationError

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.registry import BY_TYPE
from trellis_platform.incoming import IncomingEvent, PoisonEvent

MAX_EVENT_BYTES = 1_048_576


def read_event(event: IncomingEvent) -> tuple[CloudEvent, EventContract] | None:
    """The envelope and its typed payload; None for a type this version does not know.

    Raises PoisonEvent when the bytes are not a valid event of a known type, or when
    the payload names a different organisation than the envelope.
    """
    if len(event.value) > MAX_EVENT_BYTES:
        raise PoisonEvent(f"event of {len(event.value)} bytes exceeds {MAX_EVENT_BYTES}")
    try:
        envelope = CloudEvent.model_validate_json(event.value)
    except ValidationError as invalid:
        raise PoisonEvent(f"not a CloudEvent: {_summary(invalid)}") from None
    contract = BY_TYPE.get(envelope.type)
    if contract is None:
        return None
    try:
        payload = contract.model_validate(envelope.data)
    except ValidationError as invalid:
        raise PoisonEvent(f"{envelope.type} violates its contract: {_summary(invalid)}") from None
    organisation = getattr(payload, "organisation_id", None)
    if organisation is not None and str(organisation) != envelope.organisationid:
        raise PoisonEvent(
            f"payload organisation {organisation} differs from envelope {envelope.organisationid}"
        )
    return envelope, payload


def _summary(invalid: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in invalid.errors()[:5]
    )
