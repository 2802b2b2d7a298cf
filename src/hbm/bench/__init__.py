"""Benchmarks run as ``hbm bench NAME``: each prints one JSON object of figures. Not tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def _registration(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.registration import main

    return main(argv)


def _adjudication(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.adjudication import main

    return main(argv)


def _dedup_biographic(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.dedup_biographic import main

    return main(argv)


def _dedup_biometric(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.dedup_biometric import main

    return main(argv)


def _simulation(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.simulation import main

    return main(argv)


def _followup(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.followup import main

    return main(argv)


def _person_search(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.person_search import main

    return main(argv)


def _screening(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.screening import main

    return main(argv)


def _sweep(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.sweep import main

    return main(argv)


def _sync(argv: Sequence[str]) -> dict[str, Any]:
    from hbm.bench.sync import main

    return main(argv)


BENCHMARKS: dict[str, Callable[[Sequence[str]], dict[str, Any]]] = {
    "adjudication": _adjudication,
    "dedup-biographic": _dedup_biographic,
    "dedup-biometric": _dedup_biometric,
    "followup": _followup,
    "person-search": _person_search,
    "registration": _registration,
    "screening": _screening,
    "simulation": _simulation,
    "sweep": _sweep,
    "sync": _sync,
}
