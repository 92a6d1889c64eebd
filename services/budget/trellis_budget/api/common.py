"""What every budget route shares: its prefix, the problems it may answer, and how
domain rules become problem bodies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError
from fastapi import Request

from trellis_budget.domain.errors import BudgetRuleBroken, Conflict, NotFound
from trellis_platform.auth.caller import Caller
from trellis_platform.command_meta import command_meta
from trellis_platform.problems import Problem

PREFIX = "/api/budget"

PROBLEM_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": "Malformed request"},
    404: {"description": "No such thing in this organisation"},
    409: {"description": "The thing's state does not allow this"},
    413: {"description": "Request body too large"},
    422: {"description": "The request breaks a rule; the problem body says which"},
}


@contextmanager
def domain_errors() -> Iterator[None]:
    try:
        yield
    except BudgetRuleBroken as broken:
        raise Problem(422, "Budget rule broken", str(broken)) from None
    except NotFound as missing:
        raise Problem(404, "Not found", str(missing)) from None
    except Conflict as conflict:
        raise Problem(409, "Conflict", str(conflict)) from None
    except IntegrityError:
        raise Problem(409, "Conflict", "Someone changed this at the same moment; try again.") from None


def meta_for(caller: Caller, request: Request) -> dict[str, str]:
    return command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))
