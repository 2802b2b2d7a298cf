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
:func:`persons_with_words`), and a fourth, ``parents_search_sounds``, those of the parents' names
(``parent_sounds``): two more GIN indexes on PostgreSQL; on SQLite an FTS5 table of each over the
same plain table, so that the keys' trigrams do not lengthen what a search by words reads, nor the
parents' what a search of the names by sound reads.

Python makes those keys and the folded names the words are derived from, not the database:
:func:`search_columns_refresh` makes them again for everyone when the rules or tables they are made
by change (the names engine's letter fold or sound keys: a version recorded in
``registration_person_search_version``).

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

from hbm.registration.values import SEARCH_COLUMNS, SEARCH_SOURCES, search_columns_of, search_columns_version

if TYPE_CHECKING:
    from hbm.registration.models import Person

INDEXED_WORD_MIN: Final = 3
SQLITE_TRIGRAM_VERSION: Final = (3, 34, 0)
WORDS: Final = "registration_person_words"
DOCS: Final = "registration_person_words_doc"
# The sound keys' own FTS5 table: in WORDS their trigrams (MUH, UHM, HMD …) would lengthen the
# posting lists every search by words reads (a name nobody has: 3.0 → 5.3 ms at a million).
SOUNDS: Final = "registration_person_words_sounds"
# The parents' keys' own, for the same reason: beside the names' keys they made every search by
# sound 15-20 % slower (200,000 persons).
PARENT_SOUNDS: Final = "registration_person_words_parent_sounds"
# The FTS5 table each index column is in.
FTS_OF: Final = {"names": WORDS, "parents": WORDS, "sounds": SOUNDS, "parent_sounds": PARENT_SOUNDS}
# The index columns (SQLite) and the person columns they hold.
COLUMNS: Final = {
    "names": "search_words",
    "parents": "parents_search_words",
    "sounds": "search_sounds",
    "parent_sounds": "parents_search_sounds",
}
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
    "person_parents_sounds_trgm": (
        "CREATE INDEX IF NOT EXISTS person_parents_sounds_trgm"
        " ON registration_person USING gin (parents_search_sounds gin_trgm_ops)"
    ),
}

# Written out, not assembled: the SQL is the design (WORDS reads DOCS as external content).
_SQLITE_TABLES: Final = (
    "CREATE TABLE registration_person_words_doc (id INTEGER PRIMARY KEY,"
    " person_id TEXT NOT NULL UNIQUE, names TEXT NOT NULL, parents TEXT NOT NULL, sounds TEXT NOT NULL,"
    " parent_sounds TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE registration_person_words USING fts5(names, parents,"
    " content='registration_person_words_doc', content_rowid='id', tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE registration_person_words_sounds USING fts5(sounds,"
    " content='registration_person_words_doc', content_rowid='id', tokenize='trigram case_sensitive 1')",
    "CREATE VIRTUAL TABLE registration_person_words_parent_sounds USING fts5(parent_sounds,"
    " content='registration_person_words_doc', content_rowid='id', tokenize='trigram case_sensitive 1')",
)
_SQLITE_TRIGGERS: Final = {
    "registration_person_words_doc_inserted": """
        AFTER INSERT ON registration_person_words_doc BEGIN
            INSERT INTO registration_person_words(rowid, names, parents)
            VALUES (new.id, new.names, new.parents);
            INSERT INTO registration_person_words_sounds(rowid, sounds) VALUES (new.id, new.sounds);
            INSERT INTO registration_person_words_parent_sounds(rowid, parent_sounds)
            VALUES (new.id, new.parent_sounds);
        END""",
    "registration_person_words_doc_deleted": """
        AFTER DELETE ON registration_person_words_doc BEGIN
            INSERT INTO registration_person_words(registration_person_words, rowid, names, parents)
            VALUES ('delete', old.id, old.names, old.parents);
            INSERT INTO registration_person_words_sounds(registration_person_words_sounds, rowid, sounds)
            VALUES ('delete', old.id, old.sounds);
            INSERT INTO registration_person_words_parent_sounds(
                registration_person_words_parent_sounds, rowid, parent_sounds
            ) VALUES ('delete', old.id, old.parent_sounds);
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
            INSERT INTO registration_person_words_parent_sounds(
                registration_person_words_parent_sounds, rowid, parent_sounds
            ) VALUES ('delete', old.id, old.parent_sounds);
            INSERT INTO registration_person_words_parent_sounds(rowid, parent_sounds)
            VALUES (new.id, new.parent_sounds);
        END""",
    "registration_person_words_inserted": """
        AFTER INSERT ON registration_person BEGIN
            INSERT INTO registration_person_words_doc(person_id, names, parents, sounds, parent_sounds)
            VALUES (
                new.id, new.search_words, new.parents_search_words, new.search_sounds,
                new.parents_search_sounds
            );
        END""",
    "registration_person_words_updated": """
        AFTER UPDATE OF search_name, search_original, father_search_name, mother_search_name, search_sounds,
            parents_search_sounds
        ON registration_person
        WHEN old.search_words IS NOT new.search_words
            OR old.parents_search_words IS NOT new.parents_search_words
            OR old.search_sounds IS NOT new.search_sounds
            OR old.parents_search_sounds IS NOT new.parents_search_sounds
        BEGIN
            UPDATE registration_person_words_doc
            SET names = new.search_words, parents = new.parents_search_words, sounds = new.search_sounds,
                parent_sounds = new.parents_search_sounds
            WHERE person_id = new.id;
        END""",
    "registration_person_words_deleted": """
        AFTER DELETE ON registration_person BEGIN
            DELETE FROM registration_person_words_doc WHERE person_id = old.id;
        END""",
}
_SQLITE_FILL: Final = """
    INSERT INTO registration_person_words_doc(person_id, names, parents, sounds, parent_sounds)
    SELECT id, search_words, parents_search_words, search_sounds, parents_search_sounds
    FROM registration_person"""
# The version of the Python-made columns (search_columns_version) is recorded in
# VERSION_TABLE; decision 0028 recorded the sound keys' alone in registration_person_sounds_version.
VERSION_TABLE: Final = "registration_person_search_version"
_MADE_FROM: Final = (
    f"SELECT id, {', '.join(SEARCH_COLUMNS)}, {', '.join(SEARCH_SOURCES)} FROM registration_person"  # noqa: S608 - column names from values
)
_MADE_FIRST: Final = f"{_MADE_FROM} ORDER BY id LIMIT %s"
_MADE_AFTER: Final = f"{_MADE_FROM} WHERE id > %s ORDER BY id LIMIT %s"
_MADE_SET: Final = ", ".join(f"{column} = %s" for column in SEARCH_COLUMNS)
_MADE_UPDATE: Final = f"UPDATE registration_person SET {_MADE_SET} WHERE id = %s"  # noqa: S608 - column names from values
# The folded names in their own script, and the parents': the names engine's letter fold makes them
# and the matcher's key of a name in its own script (hbm.engines.names.script_form) alike.
_KEYED_LIKE_THE_MATCHER: Final = frozenset({"search_original", "father_search_name", "mother_search_name"})
_RECHECK: Final = (
    "UPDATE registration_person SET dedup_checked_at = NULL, dedup_swept = %s"
    " WHERE id = %s AND dedup_checked_at IS NOT NULL"
)
_SQLITE_COUNTS_AGREE: Final = """
    SELECT (SELECT COUNT(*) FROM registration_person_words_doc)
        = (SELECT COUNT(*) FROM registration_person)"""


def search_index_ensure(connection: BaseDatabaseWrapper = default_connection) -> bool:
    """Remake the search columns made by other rules (:func:`search_columns_refresh`), create the
    search index where it is missing, rebuild it on SQLite where it cannot be trusted; ``True`` when
    something was remade, created or rebuilt. Idempotent: cheap when all is in place."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    remade = False
    if _words_columns_present(connection) and not _search_columns_current(connection):
        if connection.vendor == "sqlite":
            # Rebuilt once afterwards rather than kept row by row by the triggers: at 200,000
            # persons whose keys all change, 40 s through the triggers.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                _sqlite_drop(cursor)
        remade = search_columns_refresh(connection) > 0
    if connection.vendor == "postgresql":
        return _postgres_ensure(connection) or remade
    return _sqlite_ensure(connection) or remade


def _search_columns_current(connection: BaseDatabaseWrapper) -> bool:
    """Whether the search columns were made by the rules and tables of now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS registration_person_search_version (version TEXT NOT NULL)"
        )
        cursor.execute("SELECT version FROM registration_person_search_version")
        return [row[0] for row in cursor.fetchall()] == [search_columns_version()]


def search_columns_refresh(connection: BaseDatabaseWrapper = default_connection, batch: int = 5000) -> int:
    """Make every person's search columns (:data:`~hbm.registration.values.SEARCH_COLUMNS`: the
    folded names and the sound keys) again when they were made by other rules or tables than now
    (:func:`~hbm.registration.values.search_columns_version` differs from the one recorded); the
    number of persons whose values changed. Batches of ``batch`` persons, each its own transaction,
    writing only the persons whose values change; the version is recorded last, so an interrupted
    run starts again at the next ``migrate``. Raw SQL: a person's ``updated_at`` is not touched (the
    names did not change, only how they are compared). A person whose names in their own script or
    parents' names fold differently is put back in the duplicate check's queue behind new arrivals
    (``dedup_swept``), since the matcher keys those names with the same fold; others are not."""
    if _search_columns_current(connection):
        return 0
    changed = 0
    last: Any = None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if last is None:
                cursor.execute(_MADE_FIRST, [batch])
            else:
                cursor.execute(_MADE_AFTER, [last, batch])
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            changes = _changes(rows)
            if changes:
                cursor.executemany(_MADE_UPDATE, [(*made, pk) for pk, made, _ in changes])
                cursor.executemany(
                    _RECHECK, [(True, pk) for pk, made, kept in changes if _rekeyed(made, kept)]
                )
            changed += len(changes)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_person_search_version")
        cursor.execute(
            "INSERT INTO registration_person_search_version (version) VALUES (%s)", [search_columns_version()]
        )
        cursor.execute("DROP TABLE IF EXISTS registration_person_sounds_version")
    return changed


def _changes(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, tuple[str, ...], tuple[str, ...]]]:
    """``(id, values made now, values stored)`` of the rows of ``_MADE_FROM`` whose search values
    differ from those made now (in the order of :data:`SEARCH_COLUMNS`)."""
    width = len(SEARCH_COLUMNS)
    changes = []
    for pk, *columns in rows:
        kept, names = tuple(columns[:width]), columns[width:]
        made_now = search_columns_of(*names)
        made = tuple(made_now[column] for column in SEARCH_COLUMNS)
        if made != kept:
            changes.append((pk, made, kept))
    return changes


def _rekeyed(made: Sequence[str], kept: Sequence[str]) -> bool:
    """Whether a person's names in their own script, or parents' names, fold differently now: the
    duplicate check keys them differently too (the letter fold is the matcher's), so they are
    checked again — behind new arrivals, as a sweep is."""
    return any(
        made[index] != kept[index]
        for index, column in enumerate(SEARCH_COLUMNS)
        if column in _KEYED_LIKE_THE_MATCHER
    )


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
    cursor.execute("DROP TABLE IF EXISTS registration_person_words_parent_sounds")
    cursor.execute("DROP TABLE IF EXISTS registration_person_words_doc")


def _sqlite_expected() -> dict[str, str]:
    """The SQL of every table and trigger of the index, as ``sqlite_master`` keeps it (its spacing
    aside)."""
    tables = dict(zip((DOCS, WORDS, SOUNDS, PARENT_SOUNDS), _SQLITE_TABLES, strict=True))
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
    parent_sounds: Sequence[str] = (),
) -> QuerySet[Person]:
    """``persons`` whose names hold every one of ``names`` and whose parents' names every one of
    ``parents`` (words of :func:`~hbm.registration.values.search_words`), each inside one name, and
    who have every one of ``sounds`` (keys of :func:`~hbm.engines.names.sound_query`) among the
    sound keys of their names, and every one of ``parent_sounds`` among those of their parents'
    names, each whole (`` MUHMD `` is looked up, with the spaces around it, so that ``MUHMDA`` does
    not match); through the trigram index for words of :data:`INDEXED_WORD_MIN` characters or more
    (every key, with its spaces).

    Unordered on purpose: a common word (*Mohammad*, *Olena*) matches tens of thousands of persons
    among a million, and ordering them all by name before the first fifty costs hundreds of
    milliseconds (on SQLite the index is read lazily, the first matches first, by joining its
    tables rather than by ``IN``); the caller takes the first few and orders those."""
    wanted = {
        "names": list(names),
        "parents": list(parents),
        "sounds": [f" {key} " for key in sounds],
        "parent_sounds": [f" {key} " for key in parent_sounds],
    }
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
