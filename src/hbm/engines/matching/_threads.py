"""Chunks of pairs worked on a few threads, results in the chunks' order.

NumPy and rapidfuzz release the GIL in the heavy steps of comparing pairs, so threads share the
work without copying the feature table; the results do not depend on the number of threads.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["in_threads", "thread_count"]

Int64Array = npt.NDArray[np.int64]
R = TypeVar("R")


def thread_count(workers: int | None) -> int:
    """``workers``, or one per CPU."""
    return workers or os.cpu_count() or 1


def in_threads(
    work: Callable[[Int64Array, Int64Array], R],
    chunks: Iterable[tuple[Int64Array, Int64Array]],
    workers: int,
) -> Iterator[R]:
    """``work`` of each ``(left, right)`` chunk, in the chunks' order, on ``workers`` threads with
    at most two chunks per thread waiting: the chunks are produced (in this thread) as they are
    worked on, never all at once."""
    if workers <= 1:
        yield from (work(a, b) for a, b in chunks)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[R]] = deque()
        for a, b in chunks:
            pending.append(pool.submit(work, a, b))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
