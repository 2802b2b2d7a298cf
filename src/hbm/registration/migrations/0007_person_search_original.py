"""A person is found by the names in the original script however they were typed: folded for search
in ``search_original``; and the folded columns unify the letters typed on a Persian or an Arabic
keyboard.

``search_original`` is filled for the persons registered before it, and ``search_name``,
``father_search_name`` and ``mother_search_name`` are folded again, with the fold as it stood when
this migration was written (a copy, so that a later change of the fold, or of the names engine's
table it reads, does not change what this migration does). Only rows whose folded values change are
written. Rerunnable: folding again writes nothing.
"""

import unicodedata
from typing import Any

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

BATCH = 1000
FOLDED = ("search_name", "search_original", "father_search_name", "mother_search_name")

# The names engine's SCRIPT_FOLD and optional marks (hbm.engines.names._text), as of this migration.
_LETTERS = {
    **str.maketrans(
        {
            "\u0623": "\u0627",  # ALEF WITH HAMZA ABOVE → ALEF
            "\u0625": "\u0627",  # ALEF WITH HAMZA BELOW → ALEF
            "\u0622": "\u0627",  # ALEF WITH MADDA ABOVE → ALEF
            "\u0671": "\u0627",  # ALEF WASLA → ALEF
            "\u0649": "\u064a",  # ALEF MAKSURA → YEH
            "\u06cc": "\u064a",  # FARSI YEH → YEH
            "\u0626": "\u064a",  # YEH WITH HAMZA ABOVE → YEH
            "\u0629": "\u0647",  # TEH MARBUTA → HEH
            "\u06c0": "\u0647",  # HEH WITH YEH ABOVE → HEH
            "\u06a9": "\u0643",  # KEHEH → KAF
            "\u0624": "\u0648",  # WAW WITH HAMZA ABOVE → WAW
        }
    ),
    # Harakat, SUPERSCRIPT ALEF, TATWEEL, ZERO WIDTH NON-JOINER and JOINER, direction marks: dropped.
    **dict.fromkeys([*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D, 0x200E, 0x200F]),
}


def _fold(text: str) -> str:
    letters = unicodedata.normalize("NFKC", text).translate(_LETTERS)
    folded = "".join(c for c in unicodedata.normalize("NFKD", letters) if not unicodedata.combining(c))
    return " ".join(folded.upper().split())


def _folded(row: Any) -> dict[str, str]:
    return {
        "search_name": _fold(f"{row.surname_latin} {row.given_names_latin}"),
        "search_original": _fold(f"{row.surname_original} {row.given_names_original}"),
        "father_search_name": _fold(row.father_name),
        "mother_search_name": _fold(row.mother_name),
    }


def search_names_fold(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    person = apps.get_model("registration", "Person")
    rows = person.objects.only(
        "pk",
        "surname_latin",
        "given_names_latin",
        "surname_original",
        "given_names_original",
        "father_name",
        "mother_name",
        *FOLDED,
    ).order_by("pk")
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        values = _folded(row)
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        if len(changed) == BATCH:
            person.objects.bulk_update(changed, FOLDED)
            changed = []
    person.objects.bulk_update(changed, FOLDED)


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0006_person_parents_search_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_original",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(search_names_fold, migrations.RunPython.noop),
    ]
