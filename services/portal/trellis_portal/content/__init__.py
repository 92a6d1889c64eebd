"""Where document content comes from: the portal keeps each version's digest, planning the bytes."""
