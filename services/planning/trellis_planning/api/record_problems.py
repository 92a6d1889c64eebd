"""How the record and capacity routes turn what went wrong into a problem answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError

from trellis_planning.application.time_entries import NotYourTime
from trellis_planning.domain.errors import PlanningRuleBroken, ProjectNotFound
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_platform.problems import Problem


@contextmanager
def answering_problems() -> Iterator[None]:
    """404 for anything not in the caller's organisation, 403 for someone else's time,
    422 for a broken rule, 409 when a concurrent change got there first."""
    try:
        yield
    except (NotInOrganisation, ProjectNotFound) as missing:
        raise Problem(404, "Not found", _message(missing)) from None
    except NotYourTime as refused:
        raise Problem(403, "Forbidden", str(refused)) from None
    except PlanningRuleBroken as broken:
        raise Problem(422, "Planning rule broken", str(broken)) from None
    except IntegrityError:
        raise Problem(409, "Conflict", "Something this request changes was changed at the same time;"
                      " nothing was saved. Retry the request.") from None


def _message(missing: LookupError) -> str:
    if isinstance(missing, ProjectNotFound):
        return f"No project {missing} in this organisation."
    return str(missing)
