"""INSERTs whose SQL is built once per model, for the writes every registration makes.

``obj.save(force_insert=True)`` builds and compiles its INSERT anew each time. On the registration
path (the person, its encounter, the audit entry) that was about a third of the CPU the inserts
cost, measured in-process on PostgreSQL (benchmarks/RESULTS.md). :func:`row_insert` writes the
same row with the same values, converted by each field exactly as the ORM converts them
(``pre_save`` for ``auto_now``, ``get_db_prep_save`` for UUIDs, dates, JSON and the encrypted
fields), through the same connection and transaction; only the SQL text is reused.
:func:`rows_insert` sends several such rows (and other writes) to PostgreSQL as one statement.

What it does not do, by design: send ``pre_save``/``post_save`` signals (HBM uses none: services
own their side effects) or insert parent tables (multi-table inheritance: refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections, models
from django.db.models.fields import Field


@dataclass(frozen=True, slots=True)
class _Statement:
    sql: str
    fields: tuple[Field[object, object], ...]
    returns_pk: bool


@cache
def _statement(model: type[models.Model], alias: str, with_pk: bool) -> _Statement:
    meta = model._meta
    if meta.parents:
        raise NotImplementedError(f"{meta.label} inherits from another table: use save()")
    connection = connections[alias]
    qn = connection.ops.quote_name
    # As Model._save_table: an auto-incremented primary key is left to the database when unset.
    fields = tuple(
        f
        for f in meta.local_concrete_fields
        if not getattr(f, "generated", False) and (with_pk or f is not meta.auto_field)
    )
    columns = ", ".join(qn(str(f.column)) for f in fields)
    placeholders = ", ".join(
        f.get_placeholder(None, None, connection) if hasattr(f, "get_placeholder") else "%s" for f in fields
    )
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    # PostgreSQL and SQLite ≥ 3.35 (Django's own test of both) read the new key back in the INSERT.
    returns_pk = not with_pk and connection.features.can_return_columns_from_insert
    if returns_pk:
        assert meta.pk is not None
        sql = f"{sql} RETURNING {qn(str(meta.pk.column))}"
    return _Statement(sql, fields, returns_pk)


Write = tuple[str, list[Any]]
"""A data-modifying statement (``INSERT``/``UPDATE`` without ``RETURNING``) and its parameters."""


def _write_of(obj: models.Model, statement: _Statement, using: str) -> list[Any]:
    connection = connections[using]
    values = []
    for f in statement.fields:
        value = f.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            raise NotImplementedError(f"{obj._meta.label}.{f.name} is an expression: use save()")
        values.append(f.get_db_prep_save(value, connection))
    return values


def row_insert(obj: models.Model, *, using: str = "default") -> None:
    """Insert ``obj`` as one new row, as ``obj.save(force_insert=True)`` would; an auto-incremented
    primary key left unset is read back. Raises ``IntegrityError`` as ``save`` does."""
    rows_insert(obj, using=using)


def rows_insert(*objs: models.Model, along: Sequence[Write] = (), using: str = "default") -> None:
    """Insert each of ``objs`` as :func:`row_insert` does, together with the statements ``along``.

    On PostgreSQL everything goes to the database as one statement (the writes before the last
    row as data-modifying ``WITH`` clauses): one round trip and one parse instead of one per row;
    they run on the same snapshot, and foreign keys (deferred, as Django makes them) are checked at
    the commit as usual. Elsewhere the statements run one after another, ``along`` first, then the
    rows in order. Only the last object may leave an auto-incremented key to the database.
    """
    *earlier, last = objs
    writes = list(along)
    for obj in earlier:
        if obj._meta.auto_field is not None and obj.pk is None:
            raise ValueError(f"{obj._meta.label}: only the last row may leave its key to the database")
        statement = _statement(type(obj), using, True)
        writes.append((statement.sql, _write_of(obj, statement, using)))
    meta = last._meta
    with_pk = meta.auto_field is None or last.pk is not None
    statement = _statement(type(last), using, with_pk)
    values = _write_of(last, statement, using)
    connection = connections[using]
    with connection.cursor() as cursor:
        if writes and connection.vendor == "postgresql":
            clauses = ", ".join(f"w{i} AS ({sql})" for i, (sql, _) in enumerate(writes))
            cursor.execute(f"WITH {clauses} {statement.sql}", [v for _, vs in writes for v in vs] + values)
        else:
            for sql, params in writes:
                cursor.execute(sql, params)
            cursor.execute(statement.sql, values)
        if not with_pk:
            assert meta.pk is not None
            if statement.returns_pk:
                (pk,) = cursor.fetchone()
            else:
                pk = connection.ops.last_insert_id(cursor, meta.db_table, str(meta.pk.column))
            setattr(last, meta.pk.attname, pk)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
