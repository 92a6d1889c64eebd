"""Who is calling, verified on every request by every service (the gateway is not the only wall)."""
