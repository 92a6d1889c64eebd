"""The gateway process's settings, read once from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from trellis_gateway.routes import upstreams_from_env
from trellis_platform.auth.throttle import InvalidRate, Rate
from trellis_platform.auth.tokens import TokenVerifier, verifier_from_env

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
JWKS_PATH = "/api/identity/.well-known/jwks.json"
TOKEN_STATUS_PATH = "/api/identity/token/status"  # noqa: S105 (a path, not a secret)
MAX_REVOCATION_CACHE_SECONDS = 5.0


PER_TENANT = Rate.parse("100/s,burst=200")
PER_KEY = Rate.parse("20/s,burst=40")
SIGN_IN_PER_ADDRESS = Rate.parse("30/min,burst=10")
SIGN_IN_PER_EMAIL = Rate.parse("10/min,burst=5")


class InvalidSetting(ValueError):
    pass


@dataclass(frozen=True)
class GatewayLimits:
    """Requests per tenant and per API key; sign-in attempts per client address and email."""

    per_tenant: Rate = PER_TENANT
    per_key: Rate = PER_KEY
    sign_in_per_address: Rate = SIGN_IN_PER_ADDRESS
    sign_in_per_email: Rate = SIGN_IN_PER_EMAIL

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> GatewayLimits:
        defaults = cls()
        return cls(
            per_tenant=_rate(env, "TRELLIS_GATEWAY_TENANT_RATE", defaults.per_tenant),
            per_key=_rate(env, "TRELLIS_GATEWAY_KEY_RATE", defaults.per_key),
            sign_in_per_address=_rate(env, "TRELLIS_GATEWAY_SIGN_IN_PER_ADDRESS",
                                      defaults.sign_in_per_address),
            sign_in_per_email=_rate(env, "TRELLIS_GATEWAY_SIGN_IN_PER_EMAIL", defaults.sign_in_per_email),
        )


def _rate(env: Mapping[str, str], name: str, default: Rate) -> Rate:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return Rate.parse(raw)
    except InvalidRate as err:
        raise InvalidSetting(f"{name}: {err}") from err


@dataclass(frozen=True)
class GatewayAuth:
    """Where the gateway finds the keys that sign access tokens, and whether (and how
    long cached) it asks the identity service about revocation."""

    environ: Mapping[str, str] = field(default_factory=dict)
    token_status_url: str | None = None
    revocation_cache_seconds: float = 2.0

    @classmethod
    def from_env(cls, env: Mapping[str, str], upstreams: Mapping[str, str]) -> GatewayAuth:
        identity = upstreams.get("identity")
        environ = dict(env)
        external = bool(env.get("TRELLIS_OIDC_ISSUER"))
        if not external and not env.get("TRELLIS_AUTH_JWKS_URL"):
            if identity is None:
                raise InvalidSetting(
                    "the gateway verifies tokens: set TRELLIS_AUTH_JWKS_URL or TRELLIS_OIDC_ISSUER, "
                    "or route the identity service (TRELLIS_UPSTREAM_IDENTITY)"
                )
            environ["TRELLIS_AUTH_JWKS_URL"] = identity + JWKS_PATH
        raw_cache = env.get("TRELLIS_GATEWAY_REVOCATION_CACHE_SECONDS", "2")
        try:
            cache = float(raw_cache)
        except ValueError:
            cache = -1.0
        if not 0 <= cache <= MAX_REVOCATION_CACHE_SECONDS:
            raise InvalidSetting(f"TRELLIS_GATEWAY_REVOCATION_CACHE_SECONDS={raw_cache!r} is not a number "
                                 f"of seconds between 0 and {MAX_REVOCATION_CACHE_SECONDS:g}")
        # Tokens of an external issuer are revoked there; identity knows only its own.
        status_url = identity + TOKEN_STATUS_PATH if identity and not external else None
        return cls(environ=environ, token_status_url=status_url, revocation_cache_seconds=cache)

    def verifier(self) -> TokenVerifier:
        return verifier_from_env(environ=self.environ)


@dataclass(frozen=True)
class GatewaySettings:
    host: str
    port: int
    upstreams: dict[str, str]
    auth: GatewayAuth = field(default_factory=GatewayAuth, compare=False)
    limits: GatewayLimits = field(default_factory=GatewayLimits)
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GatewaySettings:
        env = os.environ if environ is None else environ
        raw_port = env.get("TRELLIS_GATEWAY_PORT", str(DEFAULT_PORT))
        try:
            port = int(raw_port)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise InvalidSetting(f"TRELLIS_GATEWAY_PORT={raw_port!r} is not a TCP port")
        host = env.get("TRELLIS_GATEWAY_HOST", DEFAULT_HOST)
        upstreams = upstreams_from_env(env)
        raw_origins = env.get("TRELLIS_CORS_ORIGINS", "").split(",")
        origins = tuple(o.strip().rstrip("/") for o in raw_origins if o.strip())
        return cls(host=host, port=port, upstreams=upstreams, auth=GatewayAuth.from_env(env, upstreams),
                   limits=GatewayLimits.from_env(env), cors_origins=origins)
