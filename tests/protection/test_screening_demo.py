"""The demo's protection screenings: deterministic, through the real services, the answers fitting
each person, and the dashboard has something to show."""

from __future__ import annotations

from datetime import date
from random import Random
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.demo.screening import answers_for
from hbm.engines.screening import check_answers, first_contact_screening
from hbm.protection.dashboard import protection_figures
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.registration.models import Person
from tests.demo.conftest import load

pytestmark = pytest.mark.django_db


def _load() -> dict[str, Any]:
    summary = load()
    return dict(summary["protection_screenings"])


def test_a_share_of_the_demo_persons_is_screened_flagged_and_referred() -> None:
    counts = _load()

    screenings = ProtectionScreening.objects.count()
    assert counts["screened"] == screenings > 0
    assert 0 < counts["flagged"] <= screenings
    assert counts["flagged"] == ProtectionScreening.objects.exclude(urgency="").count()
    assert ProtectionFlag.objects.count() >= counts["flagged"]
    assert counts["referred"] == Referral.objects.exclude(screening=None).count()
    coordinator = User.objects.get(username="coordinator.radu")
    figures = protection_figures(user=coordinator)
    assert sum(d.flagged_persons for d in figures.days) == counts["flagged"]


def test_the_same_seed_gives_the_same_screenings() -> None:
    first = _load()
    flags = sorted(ProtectionFlag.objects.values_list("code", "concern", "urgency"))

    again = dict(load(reset=True)["protection_screenings"])

    assert again == first
    assert sorted(ProtectionFlag.objects.values_list("code", "concern", "urgency")) == flags


def test_each_persons_answers_fit_the_questionnaire() -> None:
    load()
    day = date.today()
    rng = Random(1)
    for person in Person.objects.order_by("created_at")[:200]:
        answers = answers_for(person, rng, day)
        check_answers(first_contact_screening(), answers, on=day)  # raises if one does not fit
