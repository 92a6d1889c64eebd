"""The one HTTP client the gateway shares for every upstream call (pooled connections)."""

from __future__ import annotations

from http.cookiejar import Cookie, CookieJar
from urllib.request import Request

import httpx

UPSTREAM_TIMEOUT = httpx.Timeout(connect=2.0, read=30.0, write=30.0, pool=5.0)

# keepalive_expiry stays under uvicorn's 5 s keep-alive, so the gateway drops an idle
# connection before the upstream does instead of racing a request onto a closing socket.
UPSTREAM_LIMITS = httpx.Limits(max_connections=500, max_keepalive_connections=100, keepalive_expiry=4.0)


class _NoCookies(CookieJar):
    """Set-Cookie is for the browser; a shared jar would leak one user's cookies to the next."""

    def extract_cookies(self, response: object, request: Request) -> None:
        return None

    def set_cookie(self, cookie: Cookie) -> None:
        return None


def new_upstream_client(timeout: httpx.Timeout = UPSTREAM_TIMEOUT) -> httpx.AsyncClient:
    # trust_env=False: an HTTP(S)_PROXY meant for the developer's shell must not reroute
    # calls between local services.
    return httpx.AsyncClient(
        timeout=timeout,
        limits=UPSTREAM_LIMITS,
        cookies=_NoCookies(),
        trust_env=False,
        follow_redirects=False,
    )
