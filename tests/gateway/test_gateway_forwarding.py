"""Requests and responses cross the gateway unchanged, except for per-hop headers."""

from __future__ import annotations

import hashlib
import re

import httpx

from .conftest import AUTH
from .servers import ServerThread
from .upstreams import BIG_CHUNK_SIZE, BIG_CHUNKS, UpstreamState, big_body


def _headers(echo: httpx.Response) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    for name, value in echo.json()["headers"]:
        seen.setdefault(name, []).append(value)
    return seen


def test_get_keeps_path_and_query_exactly(client: httpx.Client) -> None:
    response = client.get("/api/planning/echo/a%2Fb%20c?b=2&a=1&a=x%20y&c=%2B&empty=&flag")

    assert response.status_code == 200
    echo = response.json()
    assert echo["service"] == "planning"
    assert echo["method"] == "GET"
    assert echo["raw_path"] == "/api/planning/echo/a%2Fb%20c"
    assert echo["query"] == "b=2&a=1&a=x%20y&c=%2B&empty=&flag"
    assert "transfer-encoding" not in _headers(response)
    assert "content-length" not in _headers(response)


def test_each_prefix_goes_to_its_own_service(client: httpx.Client) -> None:
    assert client.get("/api/planning/echo").json()["service"] == "planning"
    assert client.get("/api/portal/echo").json()["service"] == "portal"


def test_post_forwards_json_body_and_its_headers(client: httpx.Client) -> None:
    body = b'{"name": "Website relaunch", "budget": 12000}'
    response = client.post(
        "/api/portal/echo?dry_run=true", content=body, headers={"Content-Type": "application/json"}
    )

    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["query"] == "dry_run=true"
    assert echo["body"] == body.decode()
    headers = _headers(response)
    assert headers["content-type"] == ["application/json"]
    assert headers["content-length"] == [str(len(body))]


def test_upstream_host_and_forwarding_facts(client: httpx.Client, gateway: ServerThread,
                                            planning: tuple[ServerThread, UpstreamState]) -> None:
    spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "evil.example",
               "X-Forwarded-Proto": "https", "Forwarded": "for=203.0.113.9"}
    headers = _headers(client.get("/api/planning/echo", headers=spoofed))

    assert headers["host"] == [planning[0].url.removeprefix("http://")]
    assert headers["x-forwarded-for"] == ["127.0.0.1"]
    assert headers["x-forwarded-proto"] == ["http"]
    assert headers["x-forwarded-host"] == [gateway.url.removeprefix("http://")]
    assert "forwarded" not in headers


def test_status_and_headers_pass_back_including_repeated_ones(client: httpx.Client) -> None:
    response = client.post("/api/planning/things", json={"name": "x"})

    assert response.status_code == 201
    assert response.headers["location"] == "/api/planning/things/42"
    assert response.headers["x-upstream"] == "planning"
    assert response.headers.get_list("set-cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert response.json() == {"id": "42"}
    # The gateway's server writes its own Date; the upstream's is not passed on as well.
    assert len(response.headers.get_list("date")) == 1
    assert "server" not in response.headers


def test_upstream_problem_passes_through_untouched(client: httpx.Client) -> None:
    response = client.get("/api/planning/rule-broken")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "ends_on is before starts_on"


def test_large_response_streams_back_intact(client: httpx.Client) -> None:
    received = bytearray()
    with client.stream("GET", "/api/planning/big") as response:
        assert response.status_code == 200
        # The upstream sent it chunked, so the gateway cannot know the length either.
        assert response.headers["transfer-encoding"] == "chunked"
        for chunk in response.iter_raw():
            received.extend(chunk)

    assert len(received) == BIG_CHUNKS * BIG_CHUNK_SIZE
    assert bytes(received) == big_body()


def test_large_request_body_streams_through_intact(client: httpx.Client) -> None:
    body = bytes(range(256)) * 3600  # 921,600 bytes: large, yet under the 1 MiB limit

    sized = client.post("/api/planning/digest", content=body)
    chunked = client.post("/api/planning/digest", content=iter([body[:500_000], body[500_000:]]))

    for response in (sized, chunked):
        assert response.status_code == 200
        assert response.json() == {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}


def test_client_leaving_mid_stream_closes_the_upstream_stream(
    client: httpx.Client, planning: tuple[ServerThread, UpstreamState]
) -> None:
    state = planning[1]
    state.endless_stream_closed.clear()
    with client.stream("GET", "/api/planning/endless") as response:
        # The stream never ends: getting a first chunk shows the gateway does not buffer it.
        first = next(response.iter_raw())
        assert first.startswith(b".")

    assert state.endless_stream_closed.wait(timeout=3)


def test_hop_by_hop_request_headers_stop_at_the_gateway(client: httpx.Client) -> None:
    response = client.get(
        "/api/planning/echo",
        headers={
            "Connection": "keep-alive, X-Hop-Request",
            "X-Hop-Request": "1",
            "Keep-Alive": "timeout=5",
            "Proxy-Authorization": "Basic Zm9vOmJhcg==",
            "Proxy-Connection": "keep-alive",
            "TE": "trailers",
            "Upgrade": "h2c",
            "X-End-To-End": "kept",
        },
    )

    headers = _headers(response)
    for name in ("connection", "x-hop-request", "keep-alive", "proxy-authorization",
                 "proxy-connection", "te", "upgrade", "transfer-encoding"):
        assert name not in headers, name
    assert headers["x-end-to-end"] == ["kept"]


def test_hop_by_hop_response_headers_stop_at_the_gateway(client: httpx.Client) -> None:
    response = client.get("/api/planning/hop-by-hop")

    assert response.status_code == 200
    assert response.text == "ok"
    for name in ("x-hop-response", "keep-alive", "proxy-authenticate", "trailer", "upgrade"):
        assert name not in response.headers, name
    assert response.headers.get("connection", "").lower() in ("", "keep-alive")
    assert response.headers["x-end-to-end"] == "kept"


def test_request_id_is_generated_once_and_reaches_the_upstream(client: httpx.Client) -> None:
    response = client.get("/api/planning/echo")

    ids = response.headers.get_list("x-request-id")
    assert len(ids) == 1
    assert re.fullmatch(r"[0-9a-f]{32}", ids[0])
    assert _headers(response)["x-request-id"] == ids


def test_supplied_request_id_is_kept(client: httpx.Client) -> None:
    response = client.get("/api/portal/echo", headers={"X-Request-Id": "req-from-client-7"})

    assert response.headers.get_list("x-request-id") == ["req-from-client-7"]
    assert _headers(response)["x-request-id"] == ["req-from-client-7"]


def test_connections_to_an_upstream_are_pooled(client: httpx.Client) -> None:
    # The upstream sees the gateway's side of the connection: one port means one connection.
    ports = {client.get("/api/planning/echo").json()["peer_port"] for _ in range(5)}

    assert len(ports) == 1


def test_cookies_set_for_one_client_never_reach_another(gateway: ServerThread) -> None:
    with httpx.Client(base_url=gateway.url, headers=AUTH) as first:
        assert first.post("/api/planning/things", json={}).headers.get_list("set-cookie")
    with httpx.Client(base_url=gateway.url, headers=AUTH) as second:
        echoed = second.get("/api/planning/echo", headers={"Cookie": "mine=1"})

    # The shared upstream client keeps no cookie jar; the caller's own cookies pass as sent.
    assert _headers(echoed)["cookie"] == ["mine=1"]
