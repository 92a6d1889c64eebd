"""Planning: projects, the plan and the record of work."""
