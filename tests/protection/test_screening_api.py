"""The screening API end to end, every response as the committed OpenAPI document declares it; and
one permission test per endpoint: anonymous, another organisation, a wrong role, the right role,
with nothing written when refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
from hbm.registration.enums import Sex
from hbm.registration.models import Person

pytestmark = pytest.mark.django_db

ALONE_AT_15 = {"age_basis": "estimated", "age_years": 15, "child_accompanied_by": "alone"}


@pytest.fixture
def boy(register: Callable[..., Person]) -> Person:
    return register("OMAR", "HADDAD", sex=Sex.MALE, date_of_birth=None, estimated_age=15)


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_screen_see_the_suggestion_and_confirm_it(
    api: Callable[[User | None], Client],
    screener: User,
    boy: Person,
    child_desk: Any,
    child_protection_ngo: Any,
    openapi_check: Callable[[Any], None],
) -> None:
    officer = api(screener)

    recorded = _post(officer, f"/api/protection/persons/{boy.pk}/screenings", {"answers": ALONE_AT_15})
    assert recorded.status_code == 201
    openapi_check(recorded)
    body = recorded.json()
    assert body["flags"] == [{"code": "SC-UC", "category": "SC", "concern": "uasc", "urgency": "high"}]
    assert (body["treated_as_child"], body["age_in_doubt"], body["answers"]) == (True, True, ALONE_AT_15)

    suggested = officer.get(f"/api/protection/persons/{boy.pk}/suggested-referrals")
    openapi_check(suggested)
    [suggestion] = suggested.json()
    assert (suggestion["service_type"], suggestion["urgency"], suggestion["deadline_hours"]) == (
        "child_protection",
        "high",
        24.0,
    )
    assert [s["id"] for s in suggestion["services"]] == [str(child_desk.pk)]
    assert (suggestion["referral_ids"], Referral.objects.count()) == ([], 0)

    referred = _post(
        officer,
        f"/api/protection/persons/{boy.pk}/referrals",
        {
            "service_id": str(child_desk.pk),
            "urgency": "high",
            "reason": "Alone.",
            "flag": "SC-UC",
            "screening_id": body["id"],
        },
    )
    assert referred.status_code == 201, referred.json()
    again = officer.get(f"/api/protection/persons/{boy.pk}/suggested-referrals").json()
    assert again[0]["referral_ids"] == [referred.json()["id"]]

    listed = officer.get(f"/api/protection/persons/{boy.pk}/screenings")
    openapi_check(listed)
    assert [s["id"] for s in listed.json()] == [body["id"]]
    one = officer.get(f"/api/protection/screenings/{body['id']}")
    openapi_check(one)
    assert one.json()["id"] == body["id"]


def test_bad_answers_and_unknown_fields_are_refused_by_field(
    api: Callable[[User | None], Client], screener: User, boy: Person, openapi_check: Callable[[Any], None]
) -> None:
    path = f"/api/protection/persons/{boy.pk}/screenings"

    bad = _post(api(screener), path, {"answers": {"age_basis": "sometimes", "pregnant": "perhaps"}})
    unknown = _post(api(screener), path, {"answers": {}, "colour": "blue"})
    bad_date = _post(api(screener), path, {"answers": {"age_basis": "document", "birth_date": "12/2010"}})

    assert (bad.status_code, unknown.status_code, bad_date.status_code) == (422, 422, 422)
    for response in (bad, unknown, bad_date):
        openapi_check(response)
    assert {"answers.age_basis", "answers.pregnant"} <= set(bad.json()["fields"])
    assert "colour" in unknown.json()["fields"]
    assert list(bad_date.json()["fields"]) == ["answers.birth_date"]
    assert ProtectionScreening.objects.count() == 0


REFUSED_ANSWERS = {
    "en": (
        "'sometimes' is not one of: document, stated, estimated, unknown",
        "not asked: the condition for this question does not hold, so it must have no answer",
    ),
    "fr": (
        "'sometimes' n’est pas l’une des options\u00a0: document, stated, estimated, unknown",
        "non posée\u00a0: la condition de cette question n’est pas remplie, "
        "elle ne doit donc pas avoir de réponse",
    ),
    "ar": (
        "'sometimes' ليس من الخيارات: document, stated, estimated, unknown",
        "لم يُطرح: شرط هذا السؤال غير متحقق، لذا يجب ألا تكون له إجابة",
    ),
}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_refused_answer_is_explained_in_the_clients_language(
    screener: User, boy: Person, openapi_check: Callable[[Any], None], language: str
) -> None:
    """The engine names its reasons in English; the officer reads them in their own language, the
    value given and the option codes as they are."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(screener)

    response = _post(
        client,
        f"/api/protection/persons/{boy.pk}/screenings",
        {"answers": {"age_basis": "sometimes", "pregnant": "perhaps"}},
    )

    openapi_check(response)
    basis, pregnant = REFUSED_ANSWERS[language]
    fields = response.json()["fields"]
    assert (fields["answers.age_basis"], fields["answers.pregnant"]) == ([basis], [pregnant])
    assert ProtectionScreening.objects.count() == 0


def test_the_questionnaire_for_field_devices(
    api: Callable[[User | None], Client], screener: User, openapi_check: Callable[[Any], None]
) -> None:
    response = api(screener).get("/api/protection/screening/questionnaire")

    openapi_check(response)
    body = response.json()
    assert (body["id"], body["version"], len(body["digest"])) == ("first-contact-protection", 1, 64)
    questions = {q["id"]: q for q in body["questions"]}
    assert questions["medical_danger_signs"]["ask_if"] is None
    assert set(questions["sex"]["text"]) == {"en", "fr", "ar"}
    assert questions["pregnant"]["ask_if"] is not None
    assert questions["age_basis"]["required"] is True
    assert body["age"]["estimate_margin_years"] == 3


def test_the_dashboard_through_the_api(
    api: Callable[[User | None], Client],
    screener: User,
    coordinator: User,
    boy: Person,
    openapi_check: Callable[[Any], None],
) -> None:
    _post(api(screener), f"/api/protection/persons/{boy.pk}/screenings", {"answers": ALONE_AT_15})

    response = api(coordinator).get("/api/protection/dashboard")
    backwards = api(coordinator).get("/api/protection/dashboard?start=2026-11-02&end=2026-11-01")

    openapi_check(response)
    openapi_check(backwards)
    body = response.json()
    assert body["totals_by_category"] == {"SC": 1}
    [day] = body["days"]
    assert (day["flagged_persons"], day["referred_in_time"], day["overdue"]) == (1, 0, 0)
    assert day["share_referred_in_time"] == 0.0
    assert (backwards.status_code, list(backwards.json()["fields"])) == (422, ["start"])


# --- one permission test per endpoint ---------------------------------------------------------------


@pytest.fixture
def people(make_user: Callable[..., User], screener: User, coordinator: User) -> dict[str, User | None]:
    from tests.factories import OrganisationFactory

    other = OrganisationFactory(name="Other agency")
    return {
        "anonymous": None,
        "other_organisation": make_user("screening_officer", posted=False, organisation=other, username="o"),
        "wrong_role": make_user("border_officer", username="bo"),
        "caseworker": make_user("caseworker", posted=False, username="cwk"),
        "screener": screener,
        "coordinator": coordinator,
    }


def _recorded(api: Callable[[User | None], Client], screener: User, boy: Person) -> str:
    response = _post(api(screener), f"/api/protection/persons/{boy.pk}/screenings", {"answers": ALONE_AT_15})
    return str(response.json()["id"])


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_organisation", 404),
        ("wrong_role", 403),
        ("caseworker", 403),
        ("coordinator", 403),
        ("screener", 201),
    ],
)
def test_who_records_a_screening(
    who: str, expected: int, api: Callable[[User | None], Client], people: dict[str, User | None], boy: Person
) -> None:
    entries = AuditEntry.objects.filter(event=AuditEvent.SCREENING_RECORDED).count()

    response = _post(
        api(people[who]), f"/api/protection/persons/{boy.pk}/screenings", {"answers": ALONE_AT_15}
    )

    assert response.status_code == expected
    written = 1 if expected == 201 else 0
    assert (ProtectionScreening.objects.count(), ProtectionFlag.objects.count()) == (written, written)
    assert AuditEntry.objects.filter(event=AuditEvent.SCREENING_RECORDED).count() == entries + written


READS = [
    ("anonymous", 401),
    ("other_organisation", 404),
    ("wrong_role", 404),
    ("caseworker", 404),
    ("coordinator", 200),
    ("screener", 200),
]


@pytest.mark.parametrize(("who", "expected"), READS)
@pytest.mark.parametrize(
    "path", ["persons/{person}/screenings", "screenings/{screening}", "persons/{person}/suggested-referrals"]
)
def test_who_reads_screenings(
    who: str,
    expected: int,
    path: str,
    api: Callable[[User | None], Client],
    people: dict[str, User | None],
    screener: User,
    boy: Person,
    openapi_check: Callable[[Any], None],
) -> None:
    screening = _recorded(api, screener, boy)
    viewed = AuditEntry.objects.filter(event=AuditEvent.SCREENING_VIEWED).count()
    refused = AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count()

    response = api(people[who]).get("/api/protection/" + path.format(person=boy.pk, screening=screening))

    assert response.status_code == expected
    openapi_check(response)
    was_read, was_refused = expected == 200, expected == 404
    assert AuditEntry.objects.filter(event=AuditEvent.SCREENING_VIEWED).count() == viewed + was_read
    assert AuditEntry.objects.filter(event=AuditEvent.ACCESS_REFUSED).count() == refused + was_refused


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_organisation", 200),  # no personal data: the same for every signed-in user
        ("wrong_role", 200),
        ("caseworker", 200),
        ("screener", 200),
    ],
)
def test_who_reads_the_questionnaire(
    who: str, expected: int, api: Callable[[User | None], Client], people: dict[str, User | None]
) -> None:
    assert api(people[who]).get("/api/protection/screening/questionnaire").status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_organisation", 200),  # a screening officer posted nowhere sees no point: nothing
        ("wrong_role", 403),
        ("caseworker", 403),
        ("screener", 200),
        ("coordinator", 200),
    ],
)
def test_who_sees_the_dashboard(
    who: str,
    expected: int,
    api: Callable[[User | None], Client],
    people: dict[str, User | None],
    screener: User,
    boy: Person,
) -> None:
    _recorded(api, screener, boy)

    response = api(people[who]).get("/api/protection/dashboard")

    assert response.status_code == expected
    if who == "other_organisation":
        assert (response.json()["days"], response.json()["crossing_points"]) == ([], [])
    elif expected == 200:
        assert response.json()["days"][0]["flagged_persons"] == 1


def test_a_screening_officer_asking_for_another_point_is_refused(
    api: Callable[[User | None], Client], screener: User, other_crossing_point: Any
) -> None:
    response = api(screener).get(f"/api/protection/dashboard?crossing_point_id={other_crossing_point.pk}")

    assert response.status_code == 403
