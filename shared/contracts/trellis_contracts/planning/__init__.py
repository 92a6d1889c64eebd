"""Integration events published by the planning context."""
