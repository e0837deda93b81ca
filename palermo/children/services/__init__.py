"""Every write of the children area, one module per sub-area (guardianship, best interest, family tracing,
care, legal status and durable solutions)."""
