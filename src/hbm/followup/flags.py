"""Where the flags the overview starts from come from, in one place.

A person is *flagged* when a protection screening raised a specific need (``ProtectionFlag``), or
when an officer referred them by hand naming a specific-needs code (``Referral.flag``). A flag's
category is UNHCR's two-letter one (``SC`` for ``SC-UC``); some needs have none (blank).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from hbm.engines.screening import DEFAULT_DEADLINES
from hbm.protection.models import ProtectionFlag, Referral
from hbm.protection.referrals import HEALTH_FLAG
from hbm.registration.models import Person


def screening_flags() -> QuerySet[ProtectionFlag]:
    return ProtectionFlag.objects.all()


def protection_referrals() -> QuerySet[Referral]:
    """Every referral but those from a health screening: those are health data, for health officers
    only (``hbm.health``), so they neither flag, place nor categorise anyone here."""
    return Referral.objects.exclude(flag=HEALTH_FLAG)


def referral_flags() -> QuerySet[Any]:
    """Referrals that name a specific-needs code (made by hand or from a screening)."""
    return protection_referrals().exclude(flag="").annotate(category=Substr(F("flag"), 1, 2))


def flagged_persons() -> QuerySet[Person]:
    """Every person with at least one flag."""
    return Person.objects.filter(
        Exists(screening_flags().filter(person=OuterRef("pk")))
        | Exists(referral_flags().filter(person=OuterRef("pk")))
    )


def category_condition(category: str) -> Q:
    """Persons with a flag of ``category`` (two letters)."""
    return Q(Exists(screening_flags().filter(person=OuterRef("pk"), category=category))) | Q(
        Exists(referral_flags().filter(person=OuterRef("pk"), category=category))
    )


def unreferred_overdue_condition(moment: datetime) -> Q:
    """Persons with a screening flag older than its urgency's deadline (the caller keeps only those
    not referred): nobody has been asked to take charge in time."""
    late = Q()
    for urgency, allowed in DEFAULT_DEADLINES.items():
        late |= Q(urgency=str(urgency), raised_at__lt=moment - allowed)
    return Q(Exists(screening_flags().filter(late, person=OuterRef("pk"))))


def categories_of(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The categories each person is flagged in, sorted; blank categories left out."""
    found: dict[uuid.UUID, set[str]] = {pk: set() for pk in person_ids}
    for person_id, category in (
        screening_flags().filter(person_id__in=person_ids).values_list("person_id", "category")
    ):
        found[person_id].add(category)
    for person_id, category in (
        referral_flags().filter(person_id__in=person_ids).values_list("person_id", "category")
    ):
        found[person_id].add(category)
    return {pk: sorted(c for c in cats if c) for pk, cats in found.items()}


def first_flagged_of(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When each person was first flagged (by a screening, or a referral naming a code)."""
    first: dict[uuid.UUID, datetime] = {}
    rows = [
        *screening_flags().filter(person_id__in=person_ids).values_list("person_id", "raised_at"),
        *referral_flags().filter(person_id__in=person_ids).values_list("person_id", "created_at"),
    ]
    for person_id, moment in rows:
        if person_id not in first or moment < first[person_id]:
            first[person_id] = moment
    return first
