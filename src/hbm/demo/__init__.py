"""The seeded demo emergency loaded by the first quick-start command."""
