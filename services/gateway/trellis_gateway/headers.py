"""Which headers cross the gateway, in each direction.

Hop-by-hop headers describe one connection (RFC 9110 section 7.6.1), so they stop here;
the connection the gateway opens to the upstream, or uvicorn's to the client, sets its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry import propagate

Headers = list[tuple[bytes, bytes]]

HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"te", b"trailer", b"transfer-encoding", b"upgrade"}
)

# Rewritten by the gateway, so a client cannot claim another address, host or scheme.
FORWARDED = frozenset({b"forwarded", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"})

# httpx sets Host from the upstream URL; the gateway already answered any 100-continue.
NOT_TO_UPSTREAM = frozenset({b"host", b"expect"})

# uvicorn adds its own Date, and the gateway's RequestIdMiddleware its own X-Request-Id
# (the same value); passing the upstream's too would send each twice. Server is hidden.
NOT_TO_CLIENT = frozenset({b"date", b"server", b"x-request-id"})


def _connection_listed(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    listed: set[bytes] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            listed.update(token.strip().lower() for token in value.split(b",") if token.strip())
    return listed


def end_to_end(headers: Iterable[tuple[bytes, bytes]], *, drop: frozenset[bytes] = frozenset()) -> Headers:
    """``headers`` without hop-by-hop ones (including those named in Connection) or ``drop``."""
    headers = list(headers)
    listed = _connection_listed(headers)
    kept: Headers = []
    for name, value in headers:
        lower = name.lower()
        if lower in HOP_BY_HOP or lower.startswith(b"proxy-") or lower in listed or lower in drop:
            continue
        kept.append((lower, value))
    return kept


def _trace_fields() -> frozenset[bytes]:
    # Whatever the configured propagators write (traceparent, tracestate, baggage by default).
    return frozenset(field.lower().encode("latin-1") for field in propagate.get_global_textmap().fields)


def to_upstream(
    headers: Iterable[tuple[bytes, bytes]], *, client: tuple[str, int] | None, scheme: str
) -> Headers:
    """The request headers for the upstream: end-to-end ones, forwarding facts, trace context.

    Call inside the gateway's server span: its context is what the upstream continues.
    """
    headers = list(headers)
    incoming_host = header(headers, b"host")
    forwarded = end_to_end(headers, drop=NOT_TO_UPSTREAM | FORWARDED | _trace_fields())
    if client is not None:
        forwarded.append((b"x-forwarded-for", client[0].encode("latin-1")))
    forwarded.append((b"x-forwarded-proto", scheme.encode("latin-1")))
    if incoming_host is not None:
        forwarded.append((b"x-forwarded-host", incoming_host))
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    forwarded.extend(
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in carrier.items()
    )
    return forwarded


def to_client(headers: Iterable[tuple[bytes, bytes]]) -> Headers:
    """The upstream's response headers as the gateway passes them on."""
    return end_to_end(headers, drop=NOT_TO_CLIENT)


def header(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of ``name`` (lower case), or None."""
    return next((value for key, value in headers if key.lower() == name), None)
