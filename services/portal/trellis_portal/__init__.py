"""Client portal: what each client sees of its projects, and what clients do there."""
