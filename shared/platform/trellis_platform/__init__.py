"""Small, boring infrastructure shared by every service: problems, telemetry, settings, health."""
