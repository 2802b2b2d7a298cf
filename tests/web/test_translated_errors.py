"""An officer who chose Arabic reads the service's refusal in Arabic, next to the input it concerns."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from hbm.core.time import today
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.registration.models import Document, Group, Person
from hbm.registration.values import MAX_AGE_YEARS
from tests.web.conftest import World, audit_count
from tests.web.test_registration import passport_mrz

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    # The locale middleware leaves the request's language active on the thread; later tests that
    # call services directly must not inherit Arabic.
    yield
    translation.activate("en")


def _arabic(world: World, who: str) -> Client:
    client = world.client(who)
    assert client.post("/i18n/setlang/", {"language": "ar", "next": "/"}).status_code == 302
    return client


def _person_payload(**overrides: str) -> dict[str, str]:
    person = {"surname_latin": "Kovalenko", "given_names_latin": "Mykola", "sex": "M", "nationality": "UKR"}
    return {**person, **overrides}


def _person_url(world: World) -> str:
    return f"/crossing-points/{world.point.pk}/register/person"


def _rows() -> tuple[int, ...]:
    return (audit_count(), Person.objects.count(), Group.objects.count(), Document.objects.count())


def _error_of(content: str, field: str) -> str:
    return content.split(f'id="id_{field}_error"')[1].split("</div>")[0]


def test_a_birth_year_out_of_range_is_shown_in_arabic_at_the_birth_year(world: World) -> None:
    client = _arabic(world, "officer")
    before = _rows()

    response = client.post(_person_url(world), _person_payload(birth_year="1800"))

    content = response.content.decode()
    assert response.status_code == 422
    assert '<html lang="ar" dir="rtl">' in content
    assert f"يجب أن يكون بين {today().year - MAX_AGE_YEARS} و{today().year}" in _error_of(
        content, "birth_year"
    )
    assert _rows() == before


def test_a_failed_mrz_check_digit_is_shown_in_arabic_at_the_mrz(world: World) -> None:
    lines = passport_mrz().split("\n")
    broken = lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]
    client = _arabic(world, "officer")
    before = _rows()

    response = client.post(
        _person_url(world),
        _person_payload(estimated_age="12", document_kind="passport", mrz=f"{lines[0]}\n{broken}"),
    )

    error = _error_of(response.content.decode(), "mrz")
    assert response.status_code == 422
    assert f"رقم التحقق الخاص بـ«AB1234567» غير صحيح: المتوقَّع {lines[1][9]}، والمقروء {broken[9]}" in error
    assert _rows() == before


def test_a_token_already_given_is_refused_in_arabic_at_the_token(world: World) -> None:
    client = _arabic(world, "officer")
    before = _rows()

    response = client.post(
        f"/crossing-points/{world.point.pk}/register/group",
        {"size": "2", "head_name": "Somebody", "nationality": "UKR", "token": world.group.token},
    )

    assert response.status_code == 422
    assert "مستخدَم بالفعل" in _error_of(response.content.decode(), "token")
    assert _rows() == before


def test_a_mode_switch_not_allowed_is_refused_in_arabic_at_the_mode(world: World) -> None:
    client = _arabic(world, "coordinator")
    before = (audit_count(), ModeDecision.objects.count())

    response = client.post(
        f"/crossing-points/{world.point.pk}/mode",
        {"to_mode": "normal", "reason": "Arrivals fell below 500 a day"},
    )

    assert response.status_code == 422
    assert "غير مسموح انطلاقًا من وضع «طوارئ»" in _error_of(response.content.decode(), "to_mode")
    assert (audit_count(), ModeDecision.objects.count()) == before
    assert CrossingPoint.objects.get(pk=world.point.pk).mode == "emergency"
