"""Append-only, hash-chained audit trail of every write and every read of a person's data."""
