"""The sound keys of each person's parents' names, for a parent's name searched "sounds like"
(a father recorded as *Mohamed* found by *Muhammad*).

Python makes the keys (hbm.registration.values.search_columns_of, rules version 2), so this migration
only adds the column: the search index, made after every migrate (hbm.registration.search_index),
fills it for the persons already registered — the recorded version of the search columns no longer
matches — and adds it to the trigram index. Migrating back drops that index first on SQLite, whose
triggers name the column (and would refuse to let it go); on PostgreSQL its GIN index goes with the
column. The recorded version goes on both, so that the keys are made again if the column comes back.
"""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# The SQLite index's triggers and tables as this migration knew them.
SQLITE_TRIGGERS = (
    "registration_person_words_inserted",
    "registration_person_words_updated",
    "registration_person_words_deleted",
    "registration_person_words_doc_inserted",
    "registration_person_words_doc_deleted",
    "registration_person_words_doc_updated",
)


def search_index_drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_search_version")
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words_sounds")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words_parent_sounds")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words_doc")


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0010_person_dedup_swept"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="parents_search_sounds",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        # Last, so that migrating back runs it first: before the column goes.
        migrations.RunPython(migrations.RunPython.noop, search_index_drop),
    ]
