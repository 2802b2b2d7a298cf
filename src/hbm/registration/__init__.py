"""Registration tiers at a crossing point: count, group pre-registration, individual registration."""
