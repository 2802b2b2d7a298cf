"""Open pairs made by hand between persons with unrelated names: queues of a chosen shape without
running the checks (which would find no pair between these names)."""

from __future__ import annotations

from collections.abc import Callable

from hbm.dedup.enums import CandidateStatus, Verdict
from hbm.dedup.models import MatchCandidate
from hbm.registration.models import Person


def unrelated_people(register: Callable[..., Person], count: int, prefix: str) -> list[Person]:
    """Persons with unrelated names (no pair between them until one is made by hand)."""
    return [register(f"{prefix}{chr(65 + i)}", f"Family{prefix}{chr(65 + i)}") for i in range(count)]


def open_pair(a: Person, b: Person, probability: float) -> MatchCandidate:
    """An open pair between two persons, with the given match probability."""
    low, high = sorted((a, b), key=lambda person: person.pk.hex)
    return MatchCandidate.objects.create(
        person_low=low,
        person_high=high,
        verdict=Verdict.ADJUDICATE,
        biographic_weight=10.0,
        biographic_probability=probability,
        contributions=[{"field": "given", "level": "exact", "weight": 3.1}],
        status=CandidateStatus.OPEN,
    )
