"""The problem bodies the gateway itself answers with (RFC 9457, via the shared helper).

Details name the service and a short reason only: exception text from the upstream call
goes to the log, never to the client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from starlette.responses import JSONResponse

from trellis_platform.problems import problem_response


def _prefixes(services: Iterable[str]) -> str:
    return ", ".join(f"/api/{service}/" for service in sorted(services))


def no_route(path: str, services: Iterable[str]) -> JSONResponse:
    return problem_response(
        404,
        "Not found",
        f"No service is routed at this path. Known prefixes: {_prefixes(services)} "
        "(and /healthz, /readyz).",
        instance=path,
    )


def invalid_path(path: str, reason: str) -> JSONResponse:
    return problem_response(400, "Invalid path", reason, instance=path)


def upstream_unreachable(service: str, path: str) -> JSONResponse:
    return problem_response(
        502, "Bad gateway", f"The {service} service is unreachable.", instance=path
    )


def upstream_broken(service: str, path: str) -> JSONResponse:
    return problem_response(
        502, "Bad gateway", f"The {service} service gave no valid response.", instance=path
    )


def upstream_timeout(service: str, path: str) -> JSONResponse:
    return problem_response(
        504, "Gateway timeout", f"The {service} service did not answer in time.", instance=path
    )


def gateway_busy(service: str, path: str) -> JSONResponse:
    return problem_response(
        503,
        "Service unavailable",
        f"The gateway has no free connection to the {service} service; retry shortly.",
        instance=path,
        headers={"Retry-After": "1"},
    )


def not_ready(reasons: Mapping[str, str], path: str) -> JSONResponse:
    return problem_response(
        503,
        "Not ready",
        "Not ready: " + ", ".join(sorted(reasons)) + ".",
        instance=path,
        errors=[{"location": service, "message": reasons[service]} for service in sorted(reasons)],
    )


def unexpected(path: str) -> JSONResponse:
    return problem_response(
        500, "Internal error", "The gateway failed to handle the request.", instance=path
    )


def http_error(status: int, detail: str, path: str, headers: Mapping[str, str] | None) -> JSONResponse:
    title = {404: "Not found", 405: "Method not allowed"}.get(status, "HTTP error")
    return problem_response(status, title, detail, instance=path, headers=dict(headers or {}))


UNAUTHENTICATED_HEADERS = {"WWW-Authenticate": 'Bearer realm="trellis"'}


def unauthenticated(path: str, detail: str) -> JSONResponse:
    return problem_response(401, "Unauthenticated", detail, instance=path, headers=UNAUTHENTICATED_HEADERS)


def too_many_requests(path: str, detail: str, retry_after: str) -> JSONResponse:
    return problem_response(429, "Too many requests", detail, instance=path,
                            headers={"Retry-After": retry_after})


def identity_unavailable(path: str) -> JSONResponse:
    return problem_response(
        503, "Service unavailable",
        "The gateway cannot check the token with the identity service right now; retry shortly.",
        instance=path, headers={"Retry-After": "1"},
    )


def body_too_large_to_check(path: str, limit: int) -> JSONResponse:
    return problem_response(413, "Content too large",
                            f"A sign-in request body has at most {limit} bytes.", instance=path)
