"""What every identity route shares: its prefix, the problems it may answer, and how
the use cases' refusals become problem bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request

from trellis_identity.application.errors import ConcurrentChange
from trellis_identity.domain.errors import EmailTaken, IdentityRuleBroken, NotAllowed, NotFound
from trellis_platform.auth.access import ADMINS
from trellis_platform.auth.caller import Caller, StaffRole
from trellis_platform.command_meta import command_meta
from trellis_platform.problems import Problem

PREFIX = "/api/identity"

PROBLEM_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": "Malformed request"},
    404: {"description": "No such resource in this organisation"},
    409: {"description": "The email is taken, or a concurrent change won"},
    413: {"description": "Request body too large"},
    422: {"description": "The request breaks a rule; the problem body says which"},
    429: {"description": "Too many attempts; Retry-After says when to try again"},
}

# Token answers must not be kept by browsers or proxies (RFC 6749 section 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@contextmanager
def answering_problems() -> Iterator[None]:
    try:
        yield
    except NotFound as missing:
        raise Problem(404, "Not found", str(missing)) from None
    except NotAllowed as refused:
        raise Problem(403, "Forbidden", str(refused)) from None
    except EmailTaken as taken:
        raise Problem(409, "Email taken", str(taken)) from None
    except IdentityRuleBroken as broken:
        raise Problem(422, "Identity rule broken", str(broken)) from None
    except ConcurrentChange as conflict:
        raise Problem(409, "Conflict", str(conflict)) from None


def meta_for(request: Request, caller: Caller | None) -> dict[str, str]:
    actor = caller.actor() if caller is not None else "anonymous"
    return command_meta(actor=actor, request_id=request.headers.get("x-request-id"))


def is_admin(caller: Caller) -> bool:
    return caller.is_staff and bool(caller.staff_roles & ADMINS)


def is_owner(caller: Caller) -> bool:
    return caller.is_staff and StaffRole.OWNER in caller.staff_roles
