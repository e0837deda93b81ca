"""Every write to identification data, one module per area (instruments, screenings, legal, decisions)."""
