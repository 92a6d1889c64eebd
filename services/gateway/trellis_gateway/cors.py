"""CORS for browser clients on other origins (TRELLIS_CORS_ORIGINS), answered here.

Preflights never reach a service and need no token; every answer, refusals included,
carries the CORS headers a browser needs to read it. Bearer tokens, not cookies, so no
credentials mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = ("authorization", "content-type", "x-request-id", "traceparent", "tracestate")
EXPOSED_HEADERS = ("location", "x-request-id", "retry-after", "www-authenticate")
PREFLIGHT_MAX_AGE = 600


def cors_middleware(origins: Sequence[str]) -> Middleware:
    options: dict[str, Any] = {
        "allow_origins": list(origins),
        "allow_methods": list(ALLOWED_METHODS),
        "allow_headers": list(ALLOWED_HEADERS),
        "expose_headers": list(EXPOSED_HEADERS),
        "allow_credentials": False,
        "max_age": PREFLIGHT_MAX_AGE,
    }
    return Middleware(CORSMiddleware, **options)
