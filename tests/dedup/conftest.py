"""De-duplication fixtures: registering people through the real services, then running the checker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.services import IndividualData, person_register


@pytest.fixture
def register(actor: Actor, crossing_point: CrossingPoint) -> Callable[..., Person]:
    """Register one person at the crossing point (emergency mode) with the given details."""

    def make(given: str, surname: str, **details: Any) -> Person:
        data = IndividualData(
            given_names_latin=given,
            surname_latin=surname,
            sex=details.pop("sex", Sex.MALE),
            nationality=details.pop("nationality", "SYR"),
            date_of_birth=details.pop("date_of_birth", date(1990, 3, 14)),
            **details,
        )
        return person_register(actor=actor, crossing_point_id=crossing_point.pk, data=data)

    return make
