"""Another organisation's project is not found, whatever budget route names it.

Budget records budgets, costs and thresholds against project ids that planning owns; without
this wall another organisation could record its own against ours (and read them back) as if
our project were its. A project budget has not heard of yet (planning's event still on its
way) is let through: it is nobody else's as far as budget knows.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Depends, Request

from trellis_budget.views.cost_queries import CostQueries
from trellis_platform.auth.guards import CurrentCaller
from trellis_platform.problems import Problem


def project_wall(queries: CostQueries) -> Any:
    def check(request: Request, caller: CurrentCaller) -> None:
        named = request.path_params.get("project_id")
        try:
            project_id = UUID(str(named))
        except ValueError:
            return  # no project in the path, or not an id: the route's own validation answers
        owner = queries.project_organisation(project_id)
        if owner is not None and owner != caller.organisation_id:
            raise Problem(404, "Not found", f"No project {project_id} in this organisation.")

    return Depends(check)
