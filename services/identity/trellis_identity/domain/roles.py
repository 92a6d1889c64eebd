"""The roles a person can hold. The names are those of the access tokens' ``roles`` claim."""

OWNER = "owner"
ADMIN = "admin"
STAFF_ROLES = frozenset({OWNER, ADMIN, "project_manager", "member", "finance", "analyst", "auditor"})

VIEWER = "viewer"
APPROVER = "approver"
CLIENT_ROLES = frozenset({VIEWER, APPROVER})
