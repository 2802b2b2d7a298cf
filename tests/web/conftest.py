"""A crossing point in emergency mode with a group, a registered person (with photo) and every role."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from PIL import Image

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import Relationship, Sex, SpecificNeed
from hbm.registration.models import Group, Person
from hbm.registration.services import (
    EncounterData,
    IndividualData,
    group_preregister,
    person_photo_set,
    person_register,
)
from tests.conftest import client_for

ROLES_OF_WORLD = (
    "officer",
    "screener",
    "coordinator",
    "other_officer",
    "auditor",
    "admin",
    "planner",
    "health",
)


@dataclass(frozen=True)
class World:
    point: CrossingPoint
    other_point: CrossingPoint
    group: Group
    person: Person
    users: dict[str, User]

    def client(self, who: str | None) -> Client:
        return client_for(self.users[who] if who else None)


def jpeg_bytes(width: int = 40, height: int = 50) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def world(
    crossing_point: CrossingPoint, other_crossing_point: CrossingPoint, make_user: Callable[..., User]
) -> World:
    users = {
        "officer": make_user(Role.BORDER_OFFICER, username="officer", first_name="Ana", last_name="Rusu"),
        "screener": make_user(Role.SCREENING_OFFICER, username="screener"),
        "coordinator": make_user(Role.COORDINATOR, username="coordinator", posted=False),
        "other_officer": make_user(Role.BORDER_OFFICER, username="other_officer", posted=False),
        "auditor": make_user(Role.AUDITOR, username="auditor", posted=False),
        "admin": make_user(Role.ADMIN, username="admin", posted=False),
        "planner": make_user(Role.PLANNER, username="planner", posted=False),
        "health": make_user(Role.HEALTH_OFFICER, username="health", posted=False),
    }
    other_crossing_point.staff.add(users["other_officer"])
    actor = Actor(user=users["officer"], device="fixture")
    group = group_preregister(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        size=3,
        head_name="Olena Kovalenko",
        nationality="UKR",
        data=EncounterData(),
    )
    person = person_register(
        actor=actor,
        crossing_point_id=crossing_point.pk,
        data=IndividualData(
            given_names_latin="Olena",
            surname_latin="Kovalenko",
            given_names_original="Олена",
            surname_original="Коваленко",
            sex=Sex.FEMALE,
            nationality="UKR",
            date_of_birth=date(1990, 3, 14),
            languages=("ukr",),
            specific_needs=(SpecificNeed.SINGLE_CAREGIVER,),
            group_token=group.token,
            relationship=Relationship.HEAD,
        ),
    )
    person = person_photo_set(actor=actor, person=person, data=jpeg_bytes())
    return World(
        point=crossing_point, other_point=other_crossing_point, group=group, person=person, users=users
    )


def audit_count() -> int:
    return AuditEntry.objects.count()
