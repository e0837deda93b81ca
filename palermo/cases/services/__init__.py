"""Every write to the case record, one module per area (intake, person, consent, lifecycle, notes...)."""
