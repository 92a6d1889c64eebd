"""How often a client address may try to sign up or log in, and how often logins may
fail for one email. Checked here as well as at the gateway: the embedded mode has none.

The address is the peer's, or, behind the gateway (TRELLIS_IDENTITY_TRUST_FORWARDED=1),
the X-Forwarded-For the gateway writes (it replaces whatever the client sent).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request

from trellis_platform.auth.throttle import Buckets, Rate, retry_after_header
from trellis_platform.problems import Problem

# A person who forgot their password gets five tries, then one a minute; a script
# guessing gets no further.
LOGIN_FAILURES_PER_EMAIL = Rate.parse("60/hour,burst=5")
ATTEMPTS_PER_ADDRESS = Rate.parse("60/min,burst=20")
SIGNUPS_PER_ADDRESS = Rate.parse("20/hour,burst=5")


@dataclass(frozen=True)
class IdentityLimits:
    login_failures_per_email: Rate = LOGIN_FAILURES_PER_EMAIL
    attempts_per_address: Rate = ATTEMPTS_PER_ADDRESS
    signups_per_address: Rate = SIGNUPS_PER_ADDRESS
    trust_forwarded: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> IdentityLimits:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            login_failures_per_email=_rate(env, "TRELLIS_IDENTITY_LOGIN_FAILURES_PER_EMAIL",
                                           defaults.login_failures_per_email),
            attempts_per_address=_rate(env, "TRELLIS_IDENTITY_ATTEMPTS_PER_ADDRESS",
                                       defaults.attempts_per_address),
            signups_per_address=_rate(env, "TRELLIS_IDENTITY_SIGNUPS_PER_ADDRESS",
                                      defaults.signups_per_address),
            trust_forwarded=env.get("TRELLIS_IDENTITY_TRUST_FORWARDED", "") in ("1", "true", "yes"),
        )


def _rate(env: Mapping[str, str], name: str, default: Rate) -> Rate:
    raw = env.get(name)
    return Rate.parse(raw) if raw else default


class Throttles:
    def __init__(self, limits: IdentityLimits) -> None:
        self.limits = limits
        self.login_failures = Buckets(limits.login_failures_per_email)
        self.attempts = Buckets(limits.attempts_per_address)
        self.signups = Buckets(limits.signups_per_address)

    def address(self, request: Request) -> str:
        if self.limits.trust_forwarded:
            forwarded = request.headers.get("x-forwarded-for")
            if forwarded:
                return forwarded.split(",")[-1].strip()
        return request.client.host if request.client else "unknown"

    def admit_attempt(self, request: Request) -> None:
        _admit(self.attempts, self.address(request), "Too many attempts from this address.")

    def attempt_succeeded(self, request: Request) -> None:
        """Gives back what ``admit_attempt`` took: for callers who may come often but must
        not guess (an internal client asking for tokens)."""
        self.attempts.refund(self.address(request))

    def admit_signup(self, request: Request) -> None:
        _admit(self.signups, self.address(request), "Too many sign-ups from this address.")

    def admit_login_for(self, email: str) -> None:
        """Takes one failure's worth; ``login_succeeded`` gives it back."""
        _admit(self.login_failures, _email_key(email), "Too many failed logins for this email.")

    def login_succeeded(self, email: str) -> None:
        self.login_failures.refund(_email_key(email))


def _email_key(email: str) -> str:
    return email.strip().lower()


def _admit(buckets: Buckets, key: str, detail: str) -> None:
    wait = buckets.take(key)
    if wait:
        raise Problem(429, "Too many requests", f"{detail} Try again later.",
                      headers={"Retry-After": retry_after_header(wait)})
