"""Family tracing: a relative's tracing request matched against registered persons, disclosed only
after consent on both sides and only to the tracing caseworker (decision 0010)."""
