"""Django's SQLite backend, with write transactions queued on a kernel file lock.

HBM's SQLite transactions start with ``BEGIN IMMEDIATE`` (the audit chain needs one writer at a
time). When several gunicorn workers and threads write at once, SQLite's own busy handler makes
the waiting writers sleep and retry, which turns a 5 ms wait into a 100–700 ms tail. Taking an
exclusive ``flock`` on a file beside the database before ``BEGIN`` makes them wait in a queue the
kernel wakes in order instead. The lock is released at commit, rollback or close, and by the
kernel if a process dies. Where ``fcntl`` does not exist (Windows), the plain backend behaviour
(busy handler with the configured timeout) remains.
"""

from __future__ import annotations

import os
from typing import Any

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows field laptops
    fcntl = None  # type: ignore[assignment]


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock_fd: int | None = None

    def _writer_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if fcntl is None or not name or name == ":memory:" or name.startswith("file:"):
            return None
        return f"{name}.writer-lock"

    def _writer_lock_acquire(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_lock_fd is not None:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        self._writer_lock_fd = fd

    def _writer_lock_release(self) -> None:
        fd, self._writer_lock_fd = self._writer_lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private hook the stubs omit
        except BaseException:
            self._writer_lock_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._writer_lock_release()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._writer_lock_release()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private hook the stubs omit
        finally:
            self._writer_lock_release()
