"""Loading of the CSV tables shipped in ``hbm/engines/names/data`` (read once, at first use)."""

from __future__ import annotations

import csv
import io
from importlib import resources

__all__ = ["read_table"]


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of the data file `name` (a CSV with a header row), as dictionaries of strings.

    Lines whose first cell starts with ``#`` are comments.
    """
    text = resources.files("hbm.engines.names").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return [{key: (value or "").strip() for key, value in row.items()} for row in rows]
