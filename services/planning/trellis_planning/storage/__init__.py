"""Where document content lives: one interface, a PostgreSQL and a disk implementation."""
