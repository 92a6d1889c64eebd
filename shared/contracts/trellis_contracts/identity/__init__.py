"""Integration events published by the identity context: tenants, staff, clients and their users,
and revoked tokens and sessions."""
