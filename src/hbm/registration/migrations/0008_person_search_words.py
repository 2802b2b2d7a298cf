"""The folded names without spaces, hyphens or apostrophes, computed by the database: what person
search matches words in, through a trigram index (hbm.registration.search_index).

The index itself is not a model: it is made after every migrate (and so after this one, filled from
the persons already registered). Migrating back drops it first on SQLite, whose triggers name the
columns this migration adds (and would refuse to let them go); on PostgreSQL the GIN indexes go
with their columns.
"""

import django.db.models.functions.text
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
    if schema_editor.connection.vendor != "sqlite":
        return
    for trigger in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words")
    schema_editor.execute("DROP TABLE IF EXISTS registration_person_words_doc")


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0007_person_search_original"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="parents_search_words",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Concat(
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            django.db.models.functions.text.Replace(
                                django.db.models.functions.text.Replace(
                                    django.db.models.functions.text.Replace(
                                        models.F("father_search_name"),
                                        models.Value(" "),
                                        models.Value(""),
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("-"),
                                    models.Value(""),
                                    output_field=models.TextField(),
                                ),
                                models.Value("'"),
                                models.Value(""),
                                output_field=models.TextField(),
                            ),
                            models.Value("’"),
                            models.Value(""),
                            output_field=models.TextField(),
                        ),
                        models.Value("ʼ"),
                        models.Value(""),
                        output_field=models.TextField(),
                    ),
                    models.Value(" "),
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            django.db.models.functions.text.Replace(
                                django.db.models.functions.text.Replace(
                                    django.db.models.functions.text.Replace(
                                        models.F("mother_search_name"),
                                        models.Value(" "),
                                        models.Value(""),
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("-"),
                                    models.Value(""),
                                    output_field=models.TextField(),
                                ),
                                models.Value("'"),
                                models.Value(""),
                                output_field=models.TextField(),
                            ),
                            models.Value("’"),
                            models.Value(""),
                            output_field=models.TextField(),
                        ),
                        models.Value("ʼ"),
                        models.Value(""),
                        output_field=models.TextField(),
                    ),
                    output_field=models.TextField(),
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="search_words",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Concat(
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            django.db.models.functions.text.Replace(
                                django.db.models.functions.text.Replace(
                                    django.db.models.functions.text.Replace(
                                        models.F("search_name"),
                                        models.Value(" "),
                                        models.Value(""),
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("-"),
                                    models.Value(""),
                                    output_field=models.TextField(),
                                ),
                                models.Value("'"),
                                models.Value(""),
                                output_field=models.TextField(),
                            ),
                            models.Value("’"),
                            models.Value(""),
                            output_field=models.TextField(),
                        ),
                        models.Value("ʼ"),
                        models.Value(""),
                        output_field=models.TextField(),
                    ),
                    models.Value(" "),
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            django.db.models.functions.text.Replace(
                                django.db.models.functions.text.Replace(
                                    django.db.models.functions.text.Replace(
                                        models.F("search_original"),
                                        models.Value(" "),
                                        models.Value(""),
                                        output_field=models.TextField(),
                                    ),
                                    models.Value("-"),
                                    models.Value(""),
                                    output_field=models.TextField(),
                                ),
                                models.Value("'"),
                                models.Value(""),
                                output_field=models.TextField(),
                            ),
                            models.Value("’"),
                            models.Value(""),
                            output_field=models.TextField(),
                        ),
                        models.Value("ʼ"),
                        models.Value(""),
                        output_field=models.TextField(),
                    ),
                    output_field=models.TextField(),
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, search_index_drop),
    ]
