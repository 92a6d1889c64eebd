"""Tokens for the benchmarks: a key of our own, its JWKS served over HTTP, tokens minted with it.

The service processes verify tokens exactly as in production (``verifier_from_env``: the
JWKS URL, issuer and audience from the environment); the benchmark only plays the issuer,
so it does not depend on the identity service being up.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from uuid import UUID

from trellis_platform.auth.caller import StaffRole
from trellis_platform.auth.signing import SigningKey, access_token_claims
from trellis_platform.auth.tokens import TokenSettings

ISSUER = "https://trellis.bench/identity"
AUDIENCE = "trellis-api"
JWKS_PATH = "/.well-known/jwks.json"
# Long enough for the longest `make bench` run; a benchmark never waits for a refresh.
TOKEN_LIFETIME = timedelta(hours=2)


class Issuer:
    """Serves the public JWK of a fresh key on 127.0.0.1 until closed."""

    def __init__(self) -> None:
        self.key = SigningKey.generate()
        self.settings = TokenSettings(issuer=ISSUER, audience=AUDIENCE)
        document = json.dumps({"keys": [self.key.public_jwk()]}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != JWKS_PATH:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(document)))
                self.end_headers()
                self.wfile.write(document)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="bench-jwks", daemon=True)
        self._thread.start()

    @property
    def jwks_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{JWKS_PATH}"

    def env(self) -> dict[str, str]:
        """What a service process needs to verify our tokens."""
        return {
            "TRELLIS_AUTH_JWKS_URL": self.jwks_url,
            "TRELLIS_AUTH_ISSUER": ISSUER,
            "TRELLIS_AUTH_AUDIENCE": AUDIENCE,
        }

    def staff(self, organisation_id: UUID, *roles: StaffRole, subject: str = "bench-manager") -> str:
        return self.key.sign(access_token_claims(
            self.settings, subject=subject, organisation_id=organisation_id, kind="staff",
            roles=[r.value for r in roles], lifetime=TOKEN_LIFETIME))

    def manager(self, organisation_id: UUID) -> str:
        return self.staff(organisation_id, StaffRole.PROJECT_MANAGER)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Issuer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}
