"""Risk: see ../shared/ARCHITECTURE.md for what this context owns."""
