"""Route access policies: who may call a route, declared once and published in OpenAPI.

The declaration (``x-trellis-access``) is what the authorisation matrix test reads, so a
route without one fails that test. Object-level checks (is this project this caller's,
is it granted to this client user) stay in the route: the policy is the first wall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trellis_platform.auth.caller import Caller, ClientRole, StaffRole

ACCESS_EXTENSION = "x-trellis-access"

ALL_STAFF = frozenset(StaffRole)
MANAGERS = frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.PROJECT_MANAGER})
ADMINS = frozenset({StaffRole.OWNER, StaffRole.ADMIN})
PLANNERS = frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.PROJECT_MANAGER, StaffRole.MEMBER})
MONEY = frozenset({StaffRole.OWNER, StaffRole.ADMIN, StaffRole.PROJECT_MANAGER, StaffRole.FINANCE})
READERS = ALL_STAFF


@dataclass(frozen=True)
class Access:
    staff: frozenset[StaffRole] = frozenset()
    client: ClientRole | None = None
    permission: str | None = None
    public: bool = False
    anyone: bool = False

    def allows(self, caller: Caller) -> bool:
        if self.anyone:
            return True
        if caller.kind == "staff":
            return bool(caller.staff_roles & self.staff)
        if caller.kind == "client":
            if self.client is None or caller.client_role is None:
                return False
            return self.client == ClientRole.VIEWER or caller.client_role == ClientRole.APPROVER
        return self.permission is not None and self.permission in caller.permissions

    def describe(self) -> dict[str, Any]:
        return {
            "public": self.public,
            "anyone": self.anyone,
            "staff": sorted(self.staff),
            "client": self.client.value if self.client else None,
            "permission": self.permission,
        }


def access(
    *,
    staff: Iterable[StaffRole] = (),
    client: ClientRole | None = None,
    permission: str | None = None,
) -> Access:
    return Access(staff=frozenset(staff), client=client, permission=permission)


PUBLIC = Access(public=True)

# Any authenticated caller, whatever its kind and role: routes about the caller itself
# (its own profile, its own session, whether its own token is still good).
SIGNED_IN = Access(anyone=True)
