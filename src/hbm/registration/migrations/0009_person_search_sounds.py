"""The sound keys of each person's names, for a "sounds like" search (Muhammad finds Mohamed).

Python makes the keys (hbm.engines.names), so this migration only adds the column: the search
index, made after every migrate (hbm.registration.search_index), fills it for the persons already
registered — the version of the keys it records is absent until then — and adds the column to the
trigram index. Migrating back drops that index first on SQLite, whose triggers name the column (and
would refuse to let it go); on PostgreSQL its GIN index goes with the column. The recorded version of
the keys goes on both, so that the keys are made again if the column comes back — under either name:
the sound keys' own (decision 0028) and, since decision 0029, the version of every search column
Python makes (the folded names too, which migrations 0006 and 0007 fold by the rules of their day if
they are migrated again).
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
    # The recorded version goes on both databases: the column comes back empty if migrated forward.
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_sounds_version")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_search_version")
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words_sounds")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words_doc")


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0008_person_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_sounds",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        # Last, so that migrating back runs it first: before the column goes.
        migrations.RunPython(migrations.RunPython.noop, search_index_drop),
    ]
