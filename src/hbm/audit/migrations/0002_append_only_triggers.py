"""Make the audit trail append-only in the database itself, not only in the code.

An UPDATE or DELETE of an audit entry raises, whoever issues it. Someone with the database owner's
rights can still drop the trigger; the hash chain (``hbm audit verify``) catches what they then do.
"""

from django.db import migrations

from hbm.audit.triggers import append_only_disable, append_only_enable


def enable(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only_enable(schema_editor.connection)


def disable(apps, schema_editor):  # type: ignore[no-untyped-def]
    append_only_disable(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_trail")]

    operations = [migrations.RunPython(enable, disable)]
