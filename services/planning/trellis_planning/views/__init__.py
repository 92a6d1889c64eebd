"""Planning's own read models: the board and timeline (built from the plan on read) and the
record views of time entries, documents and resources."""
