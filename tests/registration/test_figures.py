"""Crossing-point figures: exact arrivals by tier, sex and age band, nationality and hour."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import AgeBand, Relationship, Sex, SpecificNeed
from hbm.registration.selectors import crossing_point_day_figures
from hbm.registration.services import (
    CountData,
    EncounterData,
    IndividualData,
    count_record,
    group_preregister,
    person_register,
)

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2026, 3, 2)


def at(hour: int, minute: int = 0) -> EncounterData:
    return EncounterData(occurred_at=datetime(2026, 3, 2, hour, minute, tzinfo=KYIV))


def test_figures_of_one_local_day(actor: Actor, crossing_point: CrossingPoint) -> None:
    CrossingPoint.objects.filter(pk=crossing_point.pk).update(timezone="Europe/Kyiv")
    crossing_point.refresh_from_db()
    cp = crossing_point.pk
    count_record(
        actor=actor,
        crossing_point_id=cp,
        data=at(0, 30),  # 22:30 UTC the day before
        cells=[CountData(Sex.FEMALE, AgeBand.AGE_18_59, 10), CountData(Sex.MALE, AgeBand.AGE_0_4, 5)],
    )
    group = group_preregister(
        actor=actor, crossing_point_id=cp, size=4, head_name="Olena K", nationality="UKR", data=at(9)
    )
    person_register(
        actor=actor,
        crossing_point_id=cp,
        data=IndividualData(
            given_names_latin="Olena",
            surname_latin="K",
            sex=Sex.FEMALE,
            nationality="UKR",
            date_of_birth=date(1990, 5, 1),
            group_token=group.token,
            relationship=Relationship.HEAD,
            encounter=at(9, 5),
        ),
    )
    person_register(
        actor=actor,
        crossing_point_id=cp,
        data=IndividualData(
            given_names_latin="Ahmad",
            surname_latin="Karimi",
            sex=Sex.MALE,
            nationality="AFG",
            estimated_age=16,
            specific_needs=(SpecificNeed.UNACCOMPANIED_CHILD,),
            encounter=at(23, 59),
        ),
    )
    person_register(
        actor=actor,
        crossing_point_id=cp,
        data=IndividualData(
            given_names_latin="Next",
            surname_latin="Day",
            sex=Sex.MALE,
            nationality="AFG",
            estimated_age=30,
            encounter=EncounterData(occurred_at=datetime(2026, 3, 3, 0, 1, tzinfo=KYIV)),
        ),
    )

    figures = crossing_point_day_figures(crossing_point=crossing_point, day=DAY)

    assert figures.arrivals_by_tier == {"count": 15, "group": 4, "individual": 1}
    assert figures.arrivals_total == 20
    assert figures.by_nationality == [("UKR", 4), ("AFG", 1)]
    per_hour = [0] * 24
    per_hour[0], per_hour[9], per_hour[23] = 15, 4, 1
    assert figures.arrivals_per_hour == per_hour
    assert figures.by_sex_and_age["F"]["18-59"] == 11  # 10 counted + the group head registered individually
    assert figures.by_sex_and_age["M"] == {"0-4": 5, "5-11": 0, "12-17": 1, "18-59": 0, "60+": 0}
    assert figures.persons_with_specific_needs == 1
