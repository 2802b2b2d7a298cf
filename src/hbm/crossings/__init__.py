"""Border crossing points and their mode: normal, emergency, recovery."""
