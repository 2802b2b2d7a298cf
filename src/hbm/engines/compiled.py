"""numba's ``njit`` for the engines' hot loops: no Python objects, machine code cached on disk."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

import numba

__all__ = ["compiled"]

F = TypeVar("F", bound=Callable[..., object])


def compiled(function: F) -> F:
    """``numba.njit(cache=True, nogil=True)``, typed for mypy as the function itself."""
    return cast(F, numba.njit(cache=True, nogil=True)(function))
