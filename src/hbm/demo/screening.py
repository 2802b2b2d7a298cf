"""The demo's protection screenings: a share of the persons registered at the land crossing screened
with the shipped first-contact questionnaire, what it raises, and the suggested referrals the
screening officer confirms (with consent) and the child-protection caseworker accepts.

Through the real services only (``screening_record``, ``referral_make``, ``referral_answer``), by
the users whose work it is. Deterministic: persons are taken in the order they were registered,
answers come from a ``random.Random`` seeded with the demo's seed, and each person's answers fit
them (a child is asked a child's questions, a woman may be pregnant, an older person may need help).
The answer profiles are also those of ``hbm bench screening``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from random import Random
from typing import Any
from uuid import UUID

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.core.context import Actor
from hbm.core.time import today
from hbm.crossings.models import CrossingPoint
from hbm.engines.screening import asked_questions, first_contact_screening
from hbm.protection.enums import ConsentGivenBy, ReferralStatus, ServiceType, SharedField, Urgency
from hbm.protection.models import Service
from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
from hbm.protection.screening import screening_record, screening_suggestions
from hbm.protection.services import ServiceData, service_create
from hbm.registration.enums import BirthDateAccuracy, Sex
from hbm.registration.models import Person
from hbm.registration.values import age_on

SCREENED_EVERY = 6  # one registered person in six is screened
SCREENED_AT_MOST = 150  # at scale 1
ACCEPTED_EVERY = 3  # the caseworker accepts two referrals in three, the third waits
CHILDREN_WITH_PARENTS = 0.8  # most children screened cross with their parents

Profile = Callable[[Random, date], dict[str, Any]]


# --- answer profiles (also the benchmark's) ------------------------------------------------------------


def _born(rng: Random, today: date, low: int, high: int) -> str:
    return (today - timedelta(days=rng.randint(low * 365 + 1, high * 365 - 1))).isoformat()


def _adult(rng: Random, today: date, sex: str) -> dict[str, Any]:
    if rng.random() < 0.6:
        return {"age_basis": "document", "birth_date": _born(rng, today, 20, 58), "sex": sex}
    return {"age_basis": "stated", "age_years": rng.randint(20, 58), "sex": sex}


def profile_none(rng: Random, today: date) -> dict[str, Any]:
    answers = _adult(rng, today, rng.choice(("female", "male")))
    answers.update(feels_safe=True, health_need="none", distress="coping")
    return answers


def profile_child_alone(rng: Random, today: date) -> dict[str, Any]:
    return {
        "age_basis": "estimated",
        "age_years": rng.randint(12, 17),
        "sex": rng.choice(("female", "male")),
        "child_accompanied_by": rng.choice(("alone", "unrelated_adult", "other_relative")),
    }


def profile_pregnant(rng: Random, today: date) -> dict[str, Any]:
    answers = _adult(rng, today, "female")
    answers.update(pregnant=True, pregnancy_danger_signs=rng.random() < 0.1)
    return answers


def profile_older(rng: Random, today: date) -> dict[str, Any]:
    return {
        "age_basis": "stated",
        "age_years": rng.randint(62, 88),
        "sex": rng.choice(("female", "male")),
        "older_needs_daily_help": True,
        "older_has_helper": rng.random() < 0.5,
    }


def profile_disability(rng: Random, today: date) -> dict[str, Any]:
    answers = _adult(rng, today, rng.choice(("female", "male")))
    domain = rng.choice(("wg_seeing", "wg_hearing", "wg_walking", "wg_remembering"))
    answers[domain] = rng.choice(("a_lot_of_difficulty", "cannot_do_at_all"))
    return answers


def profile_trafficking(rng: Random, today: date) -> dict[str, Any]:
    answers = _adult(rng, today, rng.choice(("female", "male")))
    indicators = [
        "documents_held_by_other",
        "movement_controlled",
        "debt",
        "threats",
        "others_speak_for_them",
    ]
    answers["trafficking_indicators"] = rng.sample(indicators, rng.randint(2, 4))
    return answers


def profile_asylum(rng: Random, today: date) -> dict[str, Any]:
    answers = _adult(rng, today, rng.choice(("female", "male")))
    answers.update(fears_return=True, wishes_asylum=True)
    return answers


def profile_ill(rng: Random, today: date) -> dict[str, Any]:
    answers = _adult(rng, today, rng.choice(("female", "male")))
    answers["health_need"] = rng.choice(("regular_medicine", "ill_or_injured"))
    return answers


PROFILES: tuple[tuple[Profile, float], ...] = (
    (profile_none, 0.55),
    (profile_asylum, 0.12),
    (profile_child_alone, 0.06),
    (profile_pregnant, 0.06),
    (profile_ill, 0.07),
    (profile_disability, 0.06),
    (profile_older, 0.05),
    (profile_trafficking, 0.03),
)
ADULT_PROFILES = tuple((p, w) for p, w in PROFILES if p not in (profile_child_alone, profile_older))


def answers_of(
    rng: Random, today: date, profiles: tuple[tuple[Profile, float], ...] = PROFILES
) -> dict[str, Any]:
    """One person's answers, drawn from ``profiles`` by weight."""
    chosen, weights = zip(*profiles, strict=True)
    profile: Profile = rng.choices(chosen, weights)[0]
    return profile(rng, today)


def answers_for(person: Person, rng: Random, day: date) -> dict[str, Any]:
    """Answers that fit ``person``: their sex and age (as documented or estimated), a profile for
    their age, and only the questions the questionnaire asks with those answers."""
    age = age_on(person.date_of_birth, day)
    if age < 18:
        answers = profile_child_alone(rng, day)
        if rng.random() < CHILDREN_WITH_PARENTS:
            answers["child_accompanied_by"] = "parents"
    elif age >= 62:
        answers = profile_older(rng, day)
    else:
        answers = answers_of(rng, day, ADULT_PROFILES)
        if answers.get("sex") == "female" and person.sex != Sex.FEMALE:
            answers = profile_asylum(rng, day)
    answers["sex"] = {Sex.FEMALE: "female", Sex.MALE: "male"}.get(Sex(person.sex), "other")
    for key in ("birth_date", "age_years"):
        answers.pop(key, None)
    if person.birth_date_accuracy == BirthDateAccuracy.EXACT:
        answers.update(age_basis="document", birth_date=person.date_of_birth)
    else:
        answers.update(age_basis="estimated" if age < 18 else "stated", age_years=age)
    return _only_asked(answers, day)


def _only_asked(answers: dict[str, Any], day: date) -> dict[str, Any]:
    questionnaire = first_contact_screening()
    while True:
        asked = set(asked_questions(questionnaire, answers, on=day))
        kept = {k: v for k, v in answers.items() if k in asked}
        if kept == answers:
            return kept
        answers = kept


# --- the demo's screenings ------------------------------------------------------------------------------


def _first(users: Mapping[str, User], role: Role) -> User:
    return next(u for u in users.values() if u.role == role)


def _services_ensure(
    coordinator: User, point: CrossingPoint, types: set[str], caseworkers: Mapping[UUID | None, User]
) -> None:
    """A demo service of each suggested type that nobody serves at the point yet (a directory with
    a gap would leave suggestions nobody can confirm): child protection by the organisation of the
    demo's caseworker, the others by the coordinator's."""
    actor = Actor(user=coordinator, device="demo")
    child_desk = next(iter(caseworkers.values())).organisation if caseworkers else None
    for service_type in sorted(types):
        organisation = child_desk if service_type == ServiceType.CHILD_PROTECTION else None
        organisation = organisation or coordinator.organisation
        assert organisation is not None
        if Service.objects.filter(service_type=service_type, is_active=True, crossing_points=point).exists():
            continue
        service_create(
            actor=actor,
            data=ServiceData(
                organisation_id=organisation.pk,
                name=f"{ServiceType(service_type).label} (demo)",
                service_type=ServiceType(service_type),
                crossing_point_ids=(point.pk,),
            ),
        )


def demo_protection_screenings_create(
    *, users: Mapping[str, User], point: CrossingPoint, seed: int, scale: float
) -> dict[str, int]:
    """Screen a share of the persons registered at ``point`` and confirm the referrals suggested
    for them; the caseworker of the receiving organisation accepts some. Returns the counts."""
    rng = Random(seed * 7 + 5)
    screener, coordinator = _first(users, Role.SCREENING_OFFICER), _first(users, Role.COORDINATOR)
    caseworkers = {u.organisation_id: u for u in users.values() if u.role == Role.CASEWORKER}
    actor = Actor(user=screener, device="tablet-protection")
    day = today()
    limit = max(1, round(SCREENED_AT_MOST * scale))
    persons = list(Person.objects.filter(registered_at=point).order_by("created_at", "id")[::SCREENED_EVERY])
    counts = {"screened": 0, "flagged": 0, "referred": 0, "accepted": 0}
    for person in persons[:limit]:
        screening = screening_record(actor=actor, person_id=person.pk, answers=answers_for(person, rng, day))
        counts["screened"] += 1
        suggestions = screening_suggestions(screening=screening)
        counts["flagged"] += screening.urgency != ""
        _services_ensure(
            coordinator, point, {s.service_type for s in suggestions if not s.services}, caseworkers
        )
        for suggestion in screening_suggestions(screening=screening):
            service = suggestion.services[0]
            referral = referral_make(
                actor=actor,
                person_id=person.pk,
                data=ReferralData(
                    service_id=service.pk,
                    urgency=Urgency(suggestion.suggested.urgency.value),
                    reason="Suggested by the first-contact screening; confirmed with the person.",
                    flag=(suggestion.suggested.flags or ("",))[0],
                    shared_fields=(SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH),
                    screening_id=screening.pk,
                ),
                consent=ConsentData(
                    recipient_id=service.organisation_id,
                    is_given=True,
                    given_by=ConsentGivenBy.GUARDIAN if screening.treated_as_child else ConsentGivenBy.PERSON,
                ),
            )
            counts["referred"] += 1
            caseworker = caseworkers.get(service.organisation_id)
            if caseworker is not None and counts["referred"] % ACCEPTED_EVERY:
                referral_answer(
                    actor=Actor(user=caseworker, device="demo"),
                    referral_id=referral.pk,
                    to=ReferralStatus.ACCEPTED,
                )
                counts["accepted"] += 1
    return counts
