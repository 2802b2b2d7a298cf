"""The trigram index person search reads, so that a name is found among a million persons in
milliseconds rather than by reading every row.

A search word is matched *inside* a person's names (``Person.search_words``, ``parents_search_words``:
folded names without spaces, hyphens or apostrophes, computed by the database), so no ordinary
B-tree index helps: ``LIKE '%KOVAL%'`` reads the whole table. A trigram index does: every run of
three characters of every name is indexed, and a word of three characters or more is looked up by
its own trigrams, in any script.

* **PostgreSQL**: the ``pg_trgm`` extension (shipped with PostgreSQL; *trusted* since version 13, so
  a database owner may create it) and one GIN index per column; the planner uses it for the
  ``LIKE`` each word is searched with.
* **SQLite**: an FTS5 table with the trigram tokenizer (SQLite 3.34 or later) over a plain table
  ``registration_person_words_doc`` (one row per person: its id and the two columns), which the
  index reads as external content. Triggers keep both current as persons are registered, renamed
  or erased, in the writer's own transaction. The plain table has an ``INTEGER PRIMARY KEY``, so its
  row ids survive ``VACUUM`` (a person row's implicit rowid would not).

A third column, ``Person.search_sounds``, holds the sound keys of the names (:mod:`hbm.engines.names`:
MUHAMMAD, MOHAMED and محمد share ``MUHMD``) for a "sounds like" search (``sounds`` of
:func:`persons_with_words`): a third GIN index on PostgreSQL; on SQLite a second FTS5 table over the
same plain table, so that the keys' trigrams do not lengthen what a search by words reads. Python
makes those keys, not the database: :func:`sounds_refresh` makes them again for everyone when the
names engine's rules or tables change (a version recorded in ``registration_person_sounds_version``).

Neither is a Django model: :func:`search_index_ensure` creates what is missing after every
``migrate`` (``RegistrationConfig.ready``), and on SQLite rebuilds the index whenever its triggers
are gone or it does not hold one row per person — a migration that remakes the person table drops
its triggers with it — so an index that may have missed a write is rebuilt, never trusted.
Words shorter than :data:`INDEXED_WORD_MIN` characters have no trigram: they are matched on the
rows the longer words found (or, if every word is short, by reading the rows until enough match).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from django.db import connection as default_connection
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from hbm.engines.names import sound_keys_version
from hbm.registration.values import search_sounds_of

if TYPE_CHECKING:
    from hbm.registration.models import Person

INDEXED_WORD_MIN: Final = 3
SQLITE_TRIGRAM_VERSION: Final = (3, 34, 0)
WORDS: Final = "registration_person_words"
DOCS: Final = "registration_person_words_doc"
# The sound keys' own FTS5 table: in WORDS their trigrams (MUH, UHM, HMD …) would lengthen the
# posting lists every search by words reads (a name nobody has: 3.0 → 5.3 ms at a million).
SOUNDS: Final = "registration_person_words_sounds"
# The FTS5 table each index column is in.
FTS_OF: Final = {"names": WORDS, "parents": WORDS, "sounds": SOUNDS}
# The index columns (SQLite) and the person columns they hold.
COLUMNS: Final = {"names": "search_words", "parents": "parents_search_words", "sounds": "search_sounds"}
POSTGRES_INDEXES: Final = {
    "person_search_words_trgm": (
        "CREATE INDEX IF NOT EXISTS person_search_words_trgm"
        " ON registration_person USING gin (search_words gin_trgm_ops)"
    ),
    "person_parents_words_trgm": (
        "CREATE INDEX IF NOT EXISTS person_parents_words_trgm"
        " ON registration_person USING gin (parents_search_words gin_trgm_ops)"
    ),
    "person_search_sounds_trgm": (
        "CREATE INDEX IF NOT EXISTS person_search_sounds_trgm"
        " ON registration_person USING gin (search_sounds gin_trgm_ops)"
    ),
}

# Written out, not assembled: the SQL is the design (WORDS reads DOCS as external content).
_SQLITE_TABLES: Final = (
    "CREATE TABLE registration_person_words_doc (id INTEGER PRIMARY KEY,"
    " person_id TEXT NOT NULL UNIQUE, names TEXT NOT NULL, parents TEXT NOT NULL, sounds TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE registration_person_words USING fts5(names, parents,"
    " content='registration_person_words_doc', content_rowid='id', tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE registration_person_words_sounds USING fts5(sounds,"
    " content='registration_person_words_doc', content_rowid='id', tokenize='trigram case_sensitive 1')",
)
_SQLITE_TRIGGERS: Final = {
    "registration_person_words_doc_inserted": """
        AFTER INSERT ON registration_person_words_doc BEGIN
            INSERT INTO registration_person_words(rowid, names, parents)
            VALUES (new.id, new.names, new.parents);
            INSERT INTO registration_person_words_sounds(rowid, sounds) VALUES (new.id, new.sounds);
        END""",
    "registration_person_words_doc_deleted": """
        AFTER DELETE ON registration_person_words_doc BEGIN
            INSERT INTO registration_person_words(registration_person_words, rowid, names, parents)
            VALUES ('delete', old.id, old.names, old.parents);
            INSERT INTO registration_person_words_sounds(registration_person_words_sounds, rowid, sounds)
            VALUES ('delete', old.id, old.sounds);
        END""",
    "registration_person_words_doc_updated": """
        AFTER UPDATE ON registration_person_words_doc BEGIN
            INSERT INTO registration_person_words(registration_person_words, rowid, names, parents)
            VALUES ('delete', old.id, old.names, old.parents);
            INSERT INTO registration_person_words(rowid, names, parents)
            VALUES (new.id, new.names, new.parents);
            INSERT INTO registration_person_words_sounds(registration_person_words_sounds, rowid, sounds)
            VALUES ('delete', old.id, old.sounds);
            INSERT INTO registration_person_words_sounds(rowid, sounds) VALUES (new.id, new.sounds);
        END""",
    "registration_person_words_inserted": """
        AFTER INSERT ON registration_person BEGIN
            INSERT INTO registration_person_words_doc(person_id, names, parents, sounds)
            VALUES (new.id, new.search_words, new.parents_search_words, new.search_sounds);
        END""",
    "registration_person_words_updated": """
        AFTER UPDATE OF search_name, search_original, father_search_name, mother_search_name, search_sounds
        ON registration_person
        WHEN old.search_words IS NOT new.search_words
            OR old.parents_search_words IS NOT new.parents_search_words
            OR old.search_sounds IS NOT new.search_sounds
        BEGIN
            UPDATE registration_person_words_doc
            SET names = new.search_words, parents = new.parents_search_words, sounds = new.search_sounds
            WHERE person_id = new.id;
        END""",
    "registration_person_words_deleted": """
        AFTER DELETE ON registration_person BEGIN
            DELETE FROM registration_person_words_doc WHERE person_id = old.id;
        END""",
}
_SQLITE_FILL: Final = """
    INSERT INTO registration_person_words_doc(person_id, names, parents, sounds)
    SELECT id, search_words, parents_search_words, search_sounds FROM registration_person"""
_SOUNDS_NAMES: Final = (
    "SELECT id, search_sounds, given_names_latin, surname_latin, given_names_original, surname_original"
    " FROM registration_person"
)
_SOUNDS_FIRST: Final = f"{_SOUNDS_NAMES} ORDER BY id LIMIT %s"
_SOUNDS_AFTER: Final = f"{_SOUNDS_NAMES} WHERE id > %s ORDER BY id LIMIT %s"
_SQLITE_COUNTS_AGREE: Final = """
    SELECT (SELECT COUNT(*) FROM registration_person_words_doc)
        = (SELECT COUNT(*) FROM registration_person)"""


def search_index_ensure(connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Remake the sound keys made by other rules (:func:`sounds_refresh`), create the search index
    where it is missing, rebuild it on SQLite where it cannot be trusted; ``True`` when something was
    remade, created or rebuilt. Idempotent: cheap when all is in place."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    remade = False
    if _words_columns_present(connection) and not _sounds_current(connection):
        if connection.vendor == "sqlite":
            # Rebuilt once afterwards rather than kept row by row by the triggers: at 200,000
            # persons whose keys all change, 40 s through the triggers.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                _sqlite_drop(cursor)
        remade = sounds_refresh(connection) > 0
    if connection.vendor == "postgresql":
        return _postgres_ensure(connection) or remade
    return _sqlite_ensure(connection) or remade


def _sounds_current(connection: BaseDatabaseWrapper) -> bool:
    """Whether the sound keys were made by the names engine's rules and tables of now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS registration_person_sounds_version (version TEXT NOT NULL)"
        )
        cursor.execute("SELECT version FROM registration_person_sounds_version")
        return [row[0] for row in cursor.fetchall()] == [sound_keys_version()]


def sounds_refresh(connection: BaseDatabaseWrapper = default_connection, batch: int = 5000) -> int:
    """Make every person's ``search_sounds`` again when they were made by other rules or tables than
    the names engine's now (:func:`~hbm.engines.names.sound_keys_version` differs from the one
    recorded); the number of persons whose keys changed. Batches of ``batch`` persons, each its own
    transaction; the version is recorded last, so an interrupted run starts again at the next
    ``migrate``. Raw SQL: a person's ``updated_at`` and duplicate check are not touched."""
    if _sounds_current(connection):
        return 0
    changed = 0
    last: Any = None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if last is None:
                cursor.execute(_SOUNDS_FIRST, [batch])
            else:
                cursor.execute(_SOUNDS_AFTER, [last, batch])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            updates = [(made, pk) for pk, kept, *names in rows if (made := search_sounds_of(*names)) != kept]
            if updates:
                cursor.executemany("UPDATE registration_person SET search_sounds = %s WHERE id = %s", updates)
            changed += len(updates)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_person_sounds_version")
        cursor.execute(
            "INSERT INTO registration_person_sounds_version (version) VALUES (%s)", [sound_keys_version()]
        )
    return changed


def _words_columns_present(connection: BaseDatabaseWrapper) -> bool:
    """Whether the person table has the columns the index holds (not while migrated back before them)."""
    with connection.cursor() as cursor:
        described = connection.introspection.get_table_description(cursor, "registration_person")
    return set(COLUMNS.values()) <= {column.name for column in described}


def _postgres_ensure(connection: BaseDatabaseWrapper) -> bool:
    if not _words_columns_present(connection):
        return False  # the indexes went with their columns
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", ["registration_person"])
        present = {name for (name,) in cursor.fetchall()}
        missing = [create for name, create in POSTGRES_INDEXES.items() if name not in present]
        if not missing:
            return False
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for create in missing:
            cursor.execute(create)
    return True


def _sqlite_ensure(connection: BaseDatabaseWrapper) -> bool:
    import sqlite3

    if sqlite3.sqlite_version_info < SQLITE_TRIGRAM_VERSION:
        raise RuntimeError(
            f"person search needs SQLite {'.'.join(map(str, SQLITE_TRIGRAM_VERSION))} or later"
            f" (its trigram index); this Python has SQLite {sqlite3.sqlite_version}"
        )
    if not _words_columns_present(connection):
        # Migrated back before the columns: triggers naming them would refuse every registration.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            _sqlite_drop(cursor)
        return False
    if _sqlite_in_order(connection):
        return False
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _sqlite_drop(cursor)
        for statement in _SQLITE_TABLES:
            cursor.execute(statement)
        for name, body in _SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER {name} {body}")
        cursor.execute(_SQLITE_FILL)
    return True


def _sqlite_drop(cursor: CursorWrapper) -> None:
    for name in _SQLITE_TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute("DROP TABLE IF EXISTS registration_person_words")
    cursor.execute("DROP TABLE IF EXISTS registration_person_words_sounds")
    cursor.execute("DROP TABLE IF EXISTS registration_person_words_doc")


def _sqlite_expected() -> dict[str, str]:
    """The SQL of every table and trigger of the index, as ``sqlite_master`` keeps it (its spacing
    aside)."""
    tables = dict(zip((DOCS, WORDS, SOUNDS), _SQLITE_TABLES, strict=True))
    triggers = {name: f"CREATE TRIGGER {name} {body}" for name, body in _SQLITE_TRIGGERS.items()}
    return {name: " ".join(sql.split()) for name, sql in (tables | triggers).items()}


def _sqlite_in_order(connection: BaseDatabaseWrapper) -> bool:
    """Every table and trigger present as this version makes them (an index made by an earlier
    version, with other columns, is rebuilt), and one index row per person."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name: " ".join((sql or "").split()) for name, sql in cursor.fetchall()}
        expected = _sqlite_expected()
        if any(present.get(name) != sql for name, sql in expected.items()):
            return False
        cursor.execute(_SQLITE_COUNTS_AGREE)
        (same,) = cursor.fetchone()
    return bool(same)


def persons_with_words(
    persons: QuerySet[Person],
    *,
    names: Sequence[str] = (),
    parents: Sequence[str] = (),
    sounds: Sequence[str] = (),
) -> QuerySet[Person]:
    """``persons`` whose names hold every one of ``names`` and whose parents' names every one of
    ``parents`` (words of :func:`~hbm.registration.values.search_words`), each inside one name, and
    who have every one of ``sounds`` (keys of :func:`~hbm.engines.names.sound_query`) among the
    sound keys of their names, each whole (`` MUHMD `` is looked up, with the spaces around it, so
    that ``MUHMDA`` does not match); through the trigram index for words of
    :data:`INDEXED_WORD_MIN` characters or more (every key, with its spaces).

    Unordered on purpose: a common word (*Mohammad*, *Olena*) matches tens of thousands of persons
    among a million, and ordering them all by name before the first fifty costs hundreds of
    milliseconds (on SQLite the index is read lazily, the first matches first, by joining its
    tables rather than by ``IN``); the caller takes the first few and orders those."""
    wanted = {"names": list(names), "parents": list(parents), "sounds": [f" {key} " for key in sounds]}
    if connections[persons.db].vendor == "sqlite":
        indexed = {
            column: [w for w in words if len(w) >= INDEXED_WORD_MIN] for column, words in wanted.items()
        }
        if any(indexed.values()):
            persons = _sqlite_matching(persons, indexed)
            wanted = {
                column: [w for w in words if len(w) < INDEXED_WORD_MIN] for column, words in wanted.items()
            }
    for column, words in wanted.items():
        for word in words:
            persons = persons.filter(**{f"{COLUMNS[column]}__contains": word})
    return persons


def _sqlite_matching(persons: QuerySet[Person], words: dict[str, list[str]]) -> QuerySet[Person]:
    """``persons`` joined to the FTS5 tables (:data:`FTS_OF`) where they hold every word in its
    column: a trigram tokenizer matches a quoted phrase anywhere inside a value. A join, not
    ``pk IN (…)``, so that SQLite reads the matches one by one and stops at the caller's limit
    (``IN`` collects them all first: 66 ms for *Mohammad* at a million against 0.2 ms)."""
    matches: dict[str, list[str]] = {}
    for column, column_words in words.items():
        matches.setdefault(FTS_OF[column], []).extend(
            f'{column} : "{word.replace(chr(34), chr(34) * 2)}"' for word in column_words
        )
    tables = [table for table, terms in matches.items() if terms]
    return persons.extra(  # noqa: S610 - fixed SQL, the match expressions bound
        tables=[DOCS, *tables],
        where=[
            f"{DOCS}.person_id = registration_person.id",
            *(f"{DOCS}.id = {table}.rowid AND {table} MATCH %s" for table in tables),
        ],
        params=[" AND ".join(matches[table]) for table in tables],
    )
