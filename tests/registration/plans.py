"""What the database plans for a query: whether person search reads its trigram index."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def query_plan(queryset: QuerySet[Any]) -> str:
    """The database's plan for ``queryset``, one line per row. On PostgreSQL sequential scans are
    switched off for the statement: on a tiny test table the planner would read the rows rather than
    an index it would use at scale."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())
