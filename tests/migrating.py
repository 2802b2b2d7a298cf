"""Testing a migration's reverse: the database migrated back for a block, forward again after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command


@contextmanager
def migrated_back_to(app: str, migration: str) -> Iterator[None]:
    """The database migrated back to ``app``'s ``migration`` inside the block and forward to the
    latest after it, whatever the block raised. For a transactional test (``django_db(transaction=True)``)."""
    try:
        call_command("migrate", app, migration, verbosity=0)
        yield
    finally:
        call_command("migrate", verbosity=0)
