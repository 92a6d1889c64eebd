"""Who a plan route is acting for: the audit meta of the events, and whether the caller may
change only their own tasks. Routes declare their policies with these."""

from __future__ import annotations

from fastapi import Request

from trellis_platform.auth.access import ADMINS, MANAGERS, PLANNERS, READERS, access
from trellis_platform.auth.caller import Caller
from trellis_platform.command_meta import command_meta

READ_PLAN = access(staff=READERS, permission="planning.projects:read")
WRITE_PLAN = access(staff=MANAGERS, permission="planning.projects:write")
WRITE_TASKS = access(staff=MANAGERS, permission="planning.tasks:write")
WORK_ON_TASKS = access(staff=PLANNERS, permission="planning.tasks:write")
READ_SETTINGS = access(staff=READERS, permission="planning.settings:read")
WRITE_SETTINGS = access(staff=ADMINS, permission="planning.settings:write")


def meta_of(caller: Caller, request: Request) -> dict[str, str]:
    return command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))


def only_for(caller: Caller) -> str | None:
    """Staff who are not managers change only tasks assigned to them (their person resource)."""
    if caller.is_staff and not caller.staff_roles & MANAGERS:
        return caller.subject
    return None
