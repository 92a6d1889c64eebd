"""The routing table: which base URL serves each ``/api/<service>/`` prefix.

Read from ``TRELLIS_UPSTREAM_<SERVICE>=http://127.0.0.1:PORT``, one variable per service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

SERVICES = ("planning", "portal", "budget", "risk", "analytics", "identity")
ENV_PREFIX = "TRELLIS_UPSTREAM_"
API_PREFIX = "/api/"


class UpstreamConfigError(ValueError):
    """The environment names no upstream, an unknown one, or a malformed URL."""


def upstream_env_name(service: str) -> str:
    return f"{ENV_PREFIX}{service.upper()}"


def upstreams_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Service name -> base URL (no trailing slash) for every configured service."""
    env = os.environ if environ is None else environ
    known = {upstream_env_name(service) for service in SERVICES}
    # A misspelt variable would otherwise leave its service silently unrouted.
    unknown = sorted(name for name in env if name.startswith(ENV_PREFIX) and name not in known)
    if unknown:
        raise UpstreamConfigError(
            f"unknown upstream variable(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    upstreams: dict[str, str] = {}
    for service in SERVICES:
        name = upstream_env_name(service)
        raw = env.get(name, "").strip()
        if raw:
            upstreams[service] = base_url(name, raw)
    if not upstreams:
        raise UpstreamConfigError(
            "no upstream configured; set at least one of "
            + ", ".join(f"{upstream_env_name(s)}=http://127.0.0.1:PORT" for s in SERVICES)
        )
    return upstreams


def base_url(name: str, raw: str) -> str:
    """``raw`` checked to be scheme://host[:port] only; paths are the services' own."""
    problem = f"{name}={raw!r} is not a base URL like http://127.0.0.1:8101"
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as err:
        raise UpstreamConfigError(problem) from err
    if url.scheme not in ("http", "https") or not url.host or url.path not in ("", "/") or url.query:
        raise UpstreamConfigError(problem)
    return raw.rstrip("/")


def service_of(path: str) -> str | None:
    """The ``<service>`` segment of ``/api/<service>[/...]``, or None for any other path."""
    if not path.startswith(API_PREFIX):
        return None
    return path[len(API_PREFIX):].split("/", 1)[0] or None


def has_dot_segments(path: str) -> bool:
    # httpx removes "." and ".." when it builds the upstream URL, which could carry a request
    # routed as /api/planning/../budget to a prefix other than the one it was routed by.
    return any(segment in (".", "..") for segment in path.split("/"))
