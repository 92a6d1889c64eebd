"""Shapes of the values people type: names, emails, passwords, permission names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trellis_identity.domain.errors import IdentityRuleBroken
from trellis_identity.domain.roles import CLIENT_ROLES, STAFF_ROLES

MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254
MIN_PASSWORD_LENGTH = 12
# argon2 takes any length, but hashing megabytes on request is a denial of service.
MAX_PASSWORD_LENGTH = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PERMISSION = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*:[a-z][a-z0-9_-]*$")


def checked_name(name: str, what: str = "A name") -> str:
    name = " ".join(name.split())
    if not name:
        raise IdentityRuleBroken(f"{what} must not be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise IdentityRuleBroken(f"{what} has at most {MAX_NAME_LENGTH} characters.")
    return name


def normalised_email(email: str) -> str:
    """The form an email is stored, compared and signed in with."""
    email = email.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise IdentityRuleBroken(f"{email[:MAX_EMAIL_LENGTH]!r} is not an email address.")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise IdentityRuleBroken(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise IdentityRuleBroken(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")
    if not password.strip():
        raise IdentityRuleBroken("A password must not be only spaces.")


def checked_staff_roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    if not chosen:
        raise IdentityRuleBroken("A staff user needs at least one role.")
    unknown = [r for r in chosen if r not in STAFF_ROLES]
    if unknown:
        raise IdentityRuleBroken(
            f"Unknown staff role(s) {', '.join(unknown)}; known: {', '.join(sorted(STAFF_ROLES))}."
        )
    return chosen


def checked_client_role(role: str) -> str:
    if role not in CLIENT_ROLES:
        raise IdentityRuleBroken(f"Unknown client role {role!r}; known: {', '.join(sorted(CLIENT_ROLES))}.")
    return role


def checked_permissions(permissions: Iterable[str]) -> list[str]:
    chosen = sorted(set(permissions))
    if not chosen:
        raise IdentityRuleBroken("An API key needs at least one permission.")
    malformed = [p for p in chosen if not _PERMISSION.match(p)]
    if malformed:
        raise IdentityRuleBroken(
            f"Permission(s) {', '.join(repr(p) for p in malformed)} are not of the form "
            "'<context>.<thing>:<action>', e.g. 'planning.projects:read'."
        )
    return chosen
