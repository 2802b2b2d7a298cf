"""Persons who showed an identity document are checked again: the matcher compares documents
since match model version 5 (decision 0026), and their blocking keys gain one per document.

Only they: a pair in which either record holds no document scores as before. The background
worker picks them up in batches, as after ``hbm dedup sweep``; registration is not blocked."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def _recheck(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    person = apps.get_model("registration", "Person")
    document = apps.get_model("registration", "Document")
    holders = document.objects.exclude(document_number="").values("person_id")
    person.objects.filter(pk__in=holders).update(dedup_checked_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dedup", "0004_review_order_index"),
        ("registration", "0007_person_search_original"),
    ]

    operations = [migrations.RunPython(_recheck, migrations.RunPython.noop)]
