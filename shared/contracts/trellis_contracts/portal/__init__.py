"""Integration events published by the portal context: client access, approvals, messages, surveys."""
