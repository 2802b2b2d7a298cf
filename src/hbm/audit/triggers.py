"""The database triggers that make the audit trail append-only, per database vendor.

Used by the migration that installs them, by the demo reset and by the test suite's flush between
transactional tests: the only legitimate ways to remove audit rows are "throw the database away".
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

ENABLE: dict[str, tuple[str, ...]] = {
    "sqlite": (
        """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    ),
    "postgresql": (
        """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql""",
        "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
        """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
    ),
}
DISABLE: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS audit_entry_no_update",
        "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    ),
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
        "DROP FUNCTION IF EXISTS audit_entry_append_only()",
    ),
}


def append_only_enable(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in ENABLE.get(connection.vendor, ()):
            cursor.execute(statement)


def append_only_disable(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in DISABLE.get(connection.vendor, ()):
            cursor.execute(statement)
