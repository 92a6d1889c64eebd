"""RFC 9457 problem details: the one shape every 4xx and 5xx body takes.

A problem names what is wrong (``detail``) and, for validation failures, each
offending field (``errors``), so a client can show the message next to the input.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse

from trellis_platform.database import TRANSIENT_DATABASE_ERRORS

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)


class Problem(Exception):
    """Raise from a route or application layer to answer with a problem body."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        type_: str = "about:blank",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.errors = errors
        self.headers = headers or {}


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    type_: str = "about:blank",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_CONTENT_TYPE, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        errors.append({"location": ".".join(location), "message": error.get("msg", "invalid")})
    return errors


def _describe(errors: list[dict[str, Any]]) -> str:
    return "; ".join(f"{e['location']}: {e['message']}" for e in errors)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        instance=request.url.path,
        type_=exc.type,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    malformed = [e for e in exc.errors() if e.get("type") == "json_invalid"]
    if malformed:
        reason = (malformed[0].get("ctx") or {}).get("error", "invalid JSON")
        position = malformed[0].get("loc", ("body", "?"))[-1]
        return problem_response(
            400, "Malformed JSON", f"The body is not valid JSON: {reason} at character {position}.",
            instance=request.url.path,
        )
    errors = _validation_errors(exc)
    return problem_response(422, "Invalid request", _describe(errors), instance=request.url.path,
                            errors=errors)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    title = {404: "Not found", 405: "Method not allowed", 413: "Content too large"}.get(
        exc.status_code, "HTTP error"
    )
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(exc.status_code, title, detail, instance=request.url.path, headers=headers)


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, ClientDisconnect):
        # The caller went away mid-body (e.g. the gateway refused an oversized upload).
        logger.info("client disconnected during %s %s", request.method, request.url.path)
        return problem_response(400, "Client disconnected", "The request body was not received.")
    if isinstance(exc, TRANSIENT_DATABASE_ERRORS):
        # PostgreSQL is down or restarting: a passing condition, not a bug; the client may
        # try again (as after any 5xx, the command may or may not have been stored).
        logger.warning("database unavailable during %s %s: %s", request.method, request.url.path,
                       str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return problem_response(503, "Service unavailable",
                                "The database does not answer; try again shortly.",
                                instance=request.url.path, headers={"Retry-After": "1"})
    # The cause goes to the log with the trace id; the client gets no internals.
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        500, "Internal error", "The server failed to handle the request.", instance=request.url.path
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
    _document_problems(app)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["location", "message"],
            "properties": {"location": {"type": "string"}, "message": {"type": "string"}},
        }},
    },
}


def _document_problems(app: FastAPI) -> None:
    """Every documented 4xx and 5xx answer that names no body is a problem body: say so in
    the OpenAPI document, so clients (and schemathesis) know its shape and media type."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                for status, response in operation.get("responses", {}).items():
                    if str(status)[:1] in ("4", "5") and "content" not in response:
                        response["content"] = problem
        return document

    app.openapi = openapi  # type: ignore[method-assign]
