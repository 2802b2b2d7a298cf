"""Blocking keys changed (decision 0011): every person is checked again, which stores the new keys.

A person's stored keys are written by its check. Keys of the old rules would not meet the new
rules' keys of persons registered after the upgrade, so everyone checked before is marked
unchecked; the background worker re-checks them while registration goes on (as ``hbm dedup
sweep`` does). Rerunnable: marking an unchecked person unchecked changes nothing.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def recheck_everyone(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    person = apps.get_model("registration", "Person")
    person.objects.filter(dedup_checked_at__isnull=False).update(dedup_checked_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dedup", "0001_candidates_templates_adjudications"),
        ("registration", "0003_person_dedup_pending"),
    ]

    operations = [migrations.RunPython(recheck_everyone, migrations.RunPython.noop)]
