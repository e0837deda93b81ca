"""Every write of the assistance area, one module per sub-area: directory, plans, referrals, placements."""
