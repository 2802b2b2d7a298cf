"""A person is found by a parent's name: the father's and mother's names folded for search.

The columns are filled for the persons registered before them, with the fold as it stood when this
migration was written (a copy, so that a later change of the fold does not change what this
migration does). Rerunnable: folding again writes the same values. The labels of the parents'
names are lower case, as the other fields' are.
"""

import unicodedata

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

BATCH = 1000


def _fold(text: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(folded.upper().split())


def parents_search_names_fill(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    person = apps.get_model("registration", "Person")
    with_parents = (
        person.objects.exclude(father_name="", mother_name="")
        .only("pk", "father_name", "mother_name")
        .order_by("pk")
    )
    batch = []
    for row in with_parents.iterator(chunk_size=BATCH):
        row.father_search_name = _fold(row.father_name)
        row.mother_search_name = _fold(row.mother_name)
        batch.append(row)
        if len(batch) == BATCH:
            person.objects.bulk_update(batch, ["father_search_name", "mother_search_name"])
            batch = []
    person.objects.bulk_update(batch, ["father_search_name", "mother_search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0005_person_parents_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="father_search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="person",
            name="mother_search_name",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AlterField(
            model_name="person",
            name="father_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="father's name"),
        ),
        migrations.AlterField(
            model_name="person",
            name="mother_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="mother's name"),
        ),
        migrations.RunPython(parents_search_names_fill, migrations.RunPython.noop),
    ]
