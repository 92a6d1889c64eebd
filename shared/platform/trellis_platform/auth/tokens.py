"""Verifying access tokens: asymmetric JWTs, algorithms, issuer and audience pinned.

Keys come from a JWKS (the built-in issuer's, or an external OpenID Connect issuer's
found by its discovery document). A token is refused when anything is off: algorithm
not in the pinned list (never ``none``, never an HMAC one), signature, expiry,
not-before, issuer, audience, unknown key id, missing claims, or a revoked token id
or session.

Messages of InvalidToken say why, for the log; they never contain the token itself.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

import httpx
import jwt
from jwt import PyJWKClient

from trellis_platform.auth.caller import Caller, ClientRole, StaffRole

logger = logging.getLogger(__name__)

ALGORITHMS = ["ES256"]
# What an external issuer may sign with: asymmetric algorithms only, so that a public
# key can never be used as an HMAC secret.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"}
)
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "org", "kind"]
LEEWAY_SECONDS = 5
MAX_KEY_ID_LENGTH = 128
# An unknown key id makes a JWKS client fetch the JWKS again (the issuer may have
# rotated). Not more often than this, so forged key ids cannot hammer the issuer.
MIN_REFETCH_SECONDS = 10.0
# A verified token is remembered (by its text) so that its holder's next requests skip
# the signature check: never past the token's expiry, and at most this long after it was
# verified, so that a key withdrawn from the JWKS stops its tokens soon after the keys
# are fetched again. Revocation is asked on every request all the same.
VERIFIED_TOKEN_SECONDS = 60.0
VERIFIED_TOKEN_CACHE_SIZE = 4096


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why (for logs, not for clients)."""


class RevocationsUnknown(Exception):
    """Whether a token was revoked cannot be told yet (a process still reading the
    revocations issued before it started): the caller should retry, not sign in again."""


class SigningKeys(Protocol):
    def key_for(self, key_id: str) -> Any:
        """The public key with that id; raises InvalidToken when unknown."""


class RevocationCheck(Protocol):
    """May also say ``answers_from_memory = True``: it asks nothing over the network or the
    database, so a request's event loop may ask it directly (see ``TokenVerifier.known``)."""

    def is_revoked(self, token_id: str, session_id: str | None) -> bool:
        """Whether the token id, or the session (or API key) it was issued under, is revoked."""


class VerifiedTokens:
    """The callers of tokens verified a moment ago, by token text: least recently used
    first out, and each forgotten at its token's expiry or ``max_age_seconds`` after it
    was verified, whichever comes first. Thread-safe."""

    def __init__(self, *, max_size: int = VERIFIED_TOKEN_CACHE_SIZE,
                 max_age_seconds: float = VERIFIED_TOKEN_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self._max_size = max_size
        self._max_age = max_age_seconds
        self._clock = clock
        self._entries: OrderedDict[str, tuple[Caller, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Caller | None:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                return None
            caller, until = entry
            if now >= until:
                del self._entries[token]
                return None
            self._entries.move_to_end(token)
            return caller

    def put(self, token: str, caller: Caller, expires_at: float) -> None:
        """``expires_at``: the token's ``exp`` (seconds since the epoch)."""
        if self._max_size <= 0:
            return
        now = self._clock()
        until = min(expires_at, now + self._max_age)
        if until <= now:
            return
        with self._lock:
            self._entries[token] = (caller, until)
            self._entries.move_to_end(token)
            while len(self._entries) > self._max_size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


class JwksKeys:
    """Public keys from a JWKS URL: fetched on first use, again every ``max_age_seconds``
    and when an unknown kid appears (the issuer may have rotated), but not more often than
    ``min_refetch_seconds``, so forged key ids cannot hammer the issuer. When a fetch fails
    the keys already known stay in use (they still have to verify every signature)."""

    def __init__(self, jwks_url: str, *, min_refetch_seconds: float = MIN_REFETCH_SECONDS,
                 max_age_seconds: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.jwks_url = jwks_url
        self._client = PyJWKClient(jwks_url, cache_keys=False, cache_jwk_set=False, timeout=5)
        self._min_refetch = min_refetch_seconds
        self._max_age = max_age_seconds
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._tried_at: float | None = None
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def key_for(self, key_id: str) -> Any:
        with self._lock:
            now = self._clock()
            stale = self._loaded_at is None or now - self._loaded_at >= self._max_age
            may_fetch = self._tried_at is None or now - self._tried_at >= self._min_refetch
            if (stale or key_id not in self._keys) and may_fetch:
                self._fetch(now)
            key = self._keys.get(key_id)
        if key is None:
            raise InvalidToken(f"unknown signing key {key_id!r}")
        return key

    def _fetch(self, now: float) -> None:
        self._tried_at = now
        try:
            jwk_set = self._client.get_jwk_set(refresh=True)
        except jwt.PyJWTError as error:
            # The issuer may be down; say so in the log and keep the keys already known.
            logger.warning("cannot fetch the JWKS at %s: %s", self.jwks_url, error)
            return
        self._keys = {jwk.key_id: jwk.key for jwk in jwk_set.keys
                      if jwk.key_id and jwk.public_key_use in (None, "sig")}
        self._loaded_at = now


def jwks_url_from_oidc_issuer(issuer: str) -> str:
    """An external issuer's JWKS, found through its OpenID Connect discovery document."""
    discovery = httpx.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=5)
    discovery.raise_for_status()
    document = discovery.json()
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise InvalidToken(f"the discovery document of {issuer} names another issuer")
    return str(document["jwks_uri"])


class OidcKeys:
    """An external OpenID Connect issuer's keys: discovery -> jwks_uri -> JWKS.

    Discovery happens on first use, so a service starts even while the issuer is away.
    """

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self._keys: JwksKeys | None = None
        self._lock = threading.Lock()
        self._tried_at: float | None = None

    def key_for(self, key_id: str) -> Any:
        with self._lock:
            if self._keys is None and (
                self._tried_at is None or time.monotonic() - self._tried_at >= MIN_REFETCH_SECONDS
            ):
                self._tried_at = time.monotonic()
                try:
                    self._keys = JwksKeys(jwks_url_from_oidc_issuer(self.issuer))
                except (httpx.HTTPError, ValueError, KeyError, InvalidToken) as error:
                    logger.warning("OpenID discovery at %s failed: %s", self.issuer, error)
        if self._keys is None:
            raise InvalidToken(f"the keys of {self.issuer} are not available")
        return self._keys.key_for(key_id)


@dataclass(frozen=True)
class TokenSettings:
    issuer: str
    audience: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TokenSettings:
        env = os.environ if environ is None else environ
        return cls(
            issuer=env.get("TRELLIS_AUTH_ISSUER", "https://trellis.local/identity"),
            audience=env.get("TRELLIS_AUTH_AUDIENCE", "trellis-api"),
        )


class TokenVerifier:
    def __init__(
        self,
        keys: SigningKeys,
        settings: TokenSettings,
        *,
        is_revoked: Callable[[str], bool] | None = None,
        revocation: RevocationCheck | None = None,
        algorithms: Sequence[str] = ALGORITHMS,
        required_claims: Sequence[str] = REQUIRED_CLAIMS,
        verified: VerifiedTokens | None = None,
    ) -> None:
        """``is_revoked``: a lookup in memory (a set, say); ``revocation``: any check, which
        may say it answers from memory (see ``RevocationCheck``). ``verified``: where
        verified tokens are remembered (``VerifiedTokens(max_size=0)`` remembers none)."""
        unsafe = set(algorithms) - ASYMMETRIC_ALGORITHMS
        if unsafe or not algorithms:
            raise ValueError(f"only asymmetric algorithms may be accepted, not {sorted(unsafe)}")
        self._keys = keys
        self._settings = settings
        self._is_revoked = is_revoked
        self._revocation = revocation
        self._algorithms = list(algorithms)
        self._required = list(required_claims)
        self._verified = verified if verified is not None else VerifiedTokens()
        self._revocation_in_memory = (revocation is None
                                      or getattr(revocation, "answers_from_memory", False) is True)

    @property
    def settings(self) -> TokenSettings:
        return self._settings

    def verify(self, token: str) -> Caller:
        """The caller the token describes, or InvalidToken, revocation included."""
        caller = self.verify_signature_and_claims(token)
        if self.revoked(caller):
            raise InvalidToken("token has been revoked")
        return caller

    def verify_signature_and_claims(self, token: str) -> Caller:
        """Everything but revocation: for a caller that checks revocation elsewhere."""
        known = self._verified.get(token)
        if known is not None:
            return known
        claims = self.claims(token)
        caller = caller_from_claims(claims)
        self._verified.put(token, caller, float(claims["exp"]))
        return caller

    def known(self, token: str) -> Caller | None:
        """``verify`` without any I/O: the caller of a token verified a moment ago, asked
        about revocation again; None when that would take I/O (a token not verified yet,
        a revocation check that asks a database): then call ``verify`` off the event loop.
        Raises InvalidToken when the token is revoked."""
        if not self._revocation_in_memory:
            return None
        caller = self._verified.get(token)
        if caller is not None and self.revoked(caller):
            raise InvalidToken("token has been revoked")
        return caller

    def claims(self, token: str, *, verify_expiry: bool = True) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken(f"malformed token: {error}") from None
        algorithm = header.get("alg")
        if algorithm not in self._algorithms:
            raise InvalidToken(f"algorithm {algorithm!r} is not accepted")
        key_id = header.get("kid")
        if not isinstance(key_id, str) or not key_id or len(key_id) > MAX_KEY_ID_LENGTH:
            raise InvalidToken("token has no usable key id")
        key = self._keys.key_for(key_id)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": self._required, "verify_exp": verify_expiry},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken(str(error)) from None
        return claims

    def revoked(self, caller: Caller) -> bool:
        ids = [caller.token_id] + ([caller.session_id] if caller.session_id else [])
        if self._is_revoked is not None and any(self._is_revoked(i) for i in ids if i):
            return True
        return self._revocation is not None and self._revocation.is_revoked(
            caller.token_id, caller.session_id
        )


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    try:
        kind = claims["kind"]
        roles = [str(r) for r in claims.get("roles", [])]
        common: dict[str, Any] = {
            "subject": str(claims["sub"]),
            "organisation_id": UUID(str(claims["org"])),
            "token_id": str(claims.get("jti", "")),
            "session_id": str(claims["sid"]) if claims.get("sid") else None,
        }
        if kind == "staff":
            return Caller(kind="staff", staff_roles=frozenset(StaffRole(r) for r in roles), **common)
        if kind == "client":
            (client_role,) = roles
            return Caller(kind="client", client_id=UUID(str(claims["client"])),
                          client_role=ClientRole(client_role), **common)
        if kind == "service":
            return Caller(kind="service", permissions=frozenset(str(p) for p in claims.get("perms", [])),
                          **common)
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidToken(f"claims do not describe a caller: {error}") from None
    raise InvalidToken(f"unknown caller kind {kind!r}")


def oidc_algorithms(environ: Mapping[str, str]) -> list[str]:
    raw = environ.get("TRELLIS_OIDC_ALGORITHMS", "ES256,RS256")
    algorithms = [a.strip() for a in raw.split(",") if a.strip()]
    unsafe = [a for a in algorithms if a not in ASYMMETRIC_ALGORITHMS]
    if unsafe or not algorithms:
        raise RuntimeError(f"TRELLIS_OIDC_ALGORITHMS may name asymmetric algorithms only, not {unsafe}")
    return algorithms


def verifier_from_env(
    *,
    is_revoked: Callable[[str], bool] | None = None,
    revocation: RevocationCheck | None = None,
    environ: Mapping[str, str] | None = None,
) -> TokenVerifier:
    """A service's verifier in the distributed mode: the identity service's JWKS
    (TRELLIS_AUTH_JWKS_URL), or an external OpenID Connect issuer (TRELLIS_OIDC_ISSUER).

    The issuer and audience are pinned: TRELLIS_AUTH_ISSUER (or the OIDC issuer) and
    TRELLIS_AUTH_AUDIENCE.
    """
    env = os.environ if environ is None else environ
    settings = TokenSettings.from_env(env)
    oidc_issuer = env.get("TRELLIS_OIDC_ISSUER")
    if oidc_issuer:
        settings = TokenSettings(issuer=oidc_issuer, audience=settings.audience)
        # External issuers do not all set nbf or jti; everything else stays required.
        required = [c for c in REQUIRED_CLAIMS if c not in ("nbf", "jti")]
        return TokenVerifier(OidcKeys(oidc_issuer), settings, is_revoked=is_revoked, revocation=revocation,
                             algorithms=oidc_algorithms(env), required_claims=required)
    jwks_url = env.get("TRELLIS_AUTH_JWKS_URL")
    if not jwks_url:
        raise RuntimeError("set TRELLIS_AUTH_JWKS_URL (the identity service's JWKS) or TRELLIS_OIDC_ISSUER")
    return TokenVerifier(JwksKeys(jwks_url), settings, is_revoked=is_revoked, revocation=revocation)
