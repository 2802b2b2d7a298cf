"""Referral rules: pathways by flag, place and urgency; the lifecycle's every legal and illegal
transition; deadlines with aware datetimes."""

from __future__ import annotations

import itertools
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hbm.engines.screening import (
    DEFAULT_DEADLINES,
    REFERRAL_TRANSITIONS,
    Flag,
    Place,
    ReferralOutcome,
    ReferralStatus,
    SuggestedReferral,
    Text,
    TransitionError,
    Urgency,
    deadline_for,
    default_pathways,
    first_contact_screening,
    is_overdue,
    load_pathways,
    poe_health_checklist,
    screen,
    screen_health,
    suggest_referrals,
    transition_check,
)

S = ReferralStatus
LEGAL = [
    (S.PENDING, S.SENT),
    (S.SENT, S.ACCEPTED),
    (S.SENT, S.DECLINED),
    (S.ACCEPTED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.CLOSED),
]
ILLEGAL = [pair for pair in itertools.product(S, S) if pair not in LEGAL]


def flag(code: str | None, concern: str, urgency: Urgency) -> Flag:
    return Flag(code, concern, urgency, rules=("r",), reasons=(Text.of({"en": "r"}),))


# --- lifecycle --------------------------------------------------------------------------------------


def test_the_transition_map_is_the_lifecycle_of_the_issue() -> None:
    assert {(a, b) for a, targets in REFERRAL_TRANSITIONS.items() for b in targets} == set(LEGAL)
    assert REFERRAL_TRANSITIONS[S.DECLINED] == frozenset()
    assert REFERRAL_TRANSITIONS[S.CLOSED] == frozenset()


@pytest.mark.parametrize(("current", "new"), LEGAL)
def test_every_legal_transition_is_allowed(current: ReferralStatus, new: ReferralStatus) -> None:
    outcome = ReferralOutcome.SERVICE_PROVIDED if new is S.CLOSED else None
    transition_check(current, new, outcome=outcome)
    transition_check(current.value, new.value, outcome=outcome.value if outcome else None)


@pytest.mark.parametrize(("current", "new"), ILLEGAL)
def test_every_illegal_transition_is_refused(current: ReferralStatus, new: ReferralStatus) -> None:
    outcome = ReferralOutcome.SERVICE_PROVIDED if new is S.CLOSED else None
    with pytest.raises(TransitionError) as caught:
        transition_check(current, new, outcome=outcome)
    assert (caught.value.current, caught.value.new) == (current, new)
    assert caught.value.reason.startswith("not allowed (from ")


def test_the_refusal_says_what_is_allowed() -> None:
    with pytest.raises(TransitionError) as caught:
        transition_check("pending", "accepted")
    assert str(caught.value) == "pending -> accepted: not allowed (from pending: sent)"
    with pytest.raises(TransitionError) as caught:
        transition_check("closed", "pending")
    assert caught.value.reason == "not allowed (from closed: none: it is final)"


def test_closing_needs_an_outcome_and_only_closing_takes_one() -> None:
    with pytest.raises(TransitionError, match="closing needs an outcome"):
        transition_check(S.IN_PROGRESS, S.CLOSED)
    with pytest.raises(TransitionError, match="unknown outcome 'fine'"):
        transition_check(S.IN_PROGRESS, S.CLOSED, outcome="fine")
    with pytest.raises(TransitionError, match="only closing takes an outcome"):
        transition_check(S.SENT, S.ACCEPTED, outcome=ReferralOutcome.SERVICE_PROVIDED)
    for outcome in ReferralOutcome:
        transition_check(S.IN_PROGRESS, S.CLOSED, outcome=outcome)


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(TransitionError, match="unknown status"):
        transition_check("pending", "archived")


# --- deadlines ------------------------------------------------------------------------------------


def test_default_deadlines_are_those_of_the_issue() -> None:
    assert dict(DEFAULT_DEADLINES) == {
        Urgency.LIFE_THREATENING: timedelta(hours=1),
        Urgency.HIGH: timedelta(hours=24),
        Urgency.MEDIUM: timedelta(hours=72),
        Urgency.LOW: timedelta(days=7),
    }
    assert default_pathways().deadlines == DEFAULT_DEADLINES


def test_deadline_for_each_urgency_keeps_the_time_zone() -> None:
    created = datetime(2026, 6, 1, 22, 30, tzinfo=timezone(timedelta(hours=3)))
    assert deadline_for(Urgency.LIFE_THREATENING, created) == datetime(
        2026, 6, 1, 23, 30, tzinfo=timezone(timedelta(hours=3))
    )
    assert deadline_for("high", created) == created + timedelta(days=1)
    assert deadline_for(Urgency.MEDIUM, created) == created + timedelta(days=3)
    assert deadline_for(Urgency.LOW, created) == datetime(
        2026, 6, 8, 22, 30, tzinfo=timezone(timedelta(hours=3))
    )
    custom = {**DEFAULT_DEADLINES, Urgency.HIGH: timedelta(hours=12)}
    assert deadline_for(Urgency.HIGH, created, deadlines=custom) == created + timedelta(hours=12)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="created_at must be an aware datetime"):
        deadline_for(Urgency.HIGH, datetime(2026, 6, 1, 12, 0))
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        is_overdue(
            urgency=Urgency.HIGH, created_at=datetime(2026, 6, 1, tzinfo=UTC), status=S.SENT,
            now=datetime(2026, 6, 3),
        )  # fmt: skip


def test_a_referral_is_overdue_after_its_deadline_until_someone_accepts_it() -> None:
    created = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    at_deadline = created + timedelta(hours=1)
    for status in (S.PENDING, S.SENT):
        assert not is_overdue(
            urgency=Urgency.LIFE_THREATENING, created_at=created, status=status, now=at_deadline
        )
        assert is_overdue(
            urgency="life_threatening",
            created_at=created,
            status=status.value,
            now=at_deadline + timedelta(seconds=1),
        )
    for status in (S.ACCEPTED, S.DECLINED, S.IN_PROGRESS, S.CLOSED):
        assert not is_overdue(
            urgency=Urgency.LIFE_THREATENING,
            created_at=created,
            status=status,
            now=created + timedelta(days=30),
        )
    # Another time zone for `now` is the same instant.
    later = (created + timedelta(hours=2)).astimezone(timezone(timedelta(hours=-5)))
    assert is_overdue(urgency=Urgency.LIFE_THREATENING, created_at=created, status=S.SENT, now=later)


# --- pathways -------------------------------------------------------------------------------------


def test_an_unaccompanied_child_is_suggested_child_protection_within_24_hours() -> None:
    screening = screen(
        first_contact_screening(),
        {"age_basis": "stated", "age_years": 14, "child_accompanied_by": "alone"},
        on=date(2026, 6, 1),
    )
    (suggestion,) = suggest_referrals(default_pathways(), flags=screening.flags, place=Place("BCP-1"))
    assert suggestion == SuggestedReferral(
        service="child_protection",
        urgency=Urgency.HIGH,
        deadline=timedelta(hours=24),
        flags=("SC-UC",),
        concerns=("uasc",),
        diseases=(),
        pathways=("children",),
    )


def test_recent_sexual_violence_goes_to_medical_care_within_the_hour_and_to_gbv_case_management() -> None:
    answers = {
        "age_basis": "stated", "age_years": 30, "age_in_doubt": False, "sex": "female",
        "harmed_or_threatened": True, "harm_disclosed": ["sexual_violence"], "sexual_violence_recent": True,
    }  # fmt: skip
    screening = screen(first_contact_screening(), answers, on=date(2026, 6, 1))
    suggestions = suggest_referrals(default_pathways(), flags=screening.flags)
    assert [(s.service, s.urgency, s.deadline) for s in suggestions] == [
        ("medical", Urgency.LIFE_THREATENING, timedelta(hours=1)),
        ("gbv", Urgency.LIFE_THREATENING, timedelta(hours=1)),
    ]
    assert suggestions[1].pathways == ("gbv",)


def test_flags_leading_to_one_service_are_merged_at_the_most_urgent() -> None:
    flags = [flag("SM-MI", "mental_health", Urgency.HIGH), flag("TR", "violence_torture", Urgency.MEDIUM)]
    suggestions = suggest_referrals(default_pathways(), flags=flags)
    mental = next(s for s in suggestions if s.service == "mental_health")
    assert (mental.urgency, mental.flags, mental.concerns) == (
        Urgency.HIGH,
        ("SM-MI", "TR"),
        ("mental_health", "violence_torture"),
    )
    assert [s.service for s in suggestions] == ["medical", "mental_health", "torture_rehabilitation"]


def test_a_concern_without_a_code_is_referred_by_its_concern() -> None:
    (suggestion,) = suggest_referrals(default_pathways(), flags=[flag(None, "pregnancy", Urgency.MEDIUM)])
    assert (suggestion.service, suggestion.flags, suggestion.concerns) == (
        "maternal_health",
        (),
        ("pregnancy",),
    )


def test_suspected_diseases_go_to_isolation_or_medical_care() -> None:
    health = screen_health(
        poe_health_checklist(),
        {"temperature_c": 38.5, "vhf_contact_21_days": True, "symptoms": ["cough"], "cough_two_weeks": True},
    )
    suggestions = suggest_referrals(default_pathways(), suspected=health.suspected)
    assert [(s.service, s.urgency, s.diseases) for s in suggestions] == [
        ("isolation", Urgency.LIFE_THREATENING, ("ebola_vhf",)),
        ("medical", Urgency.MEDIUM, ("tuberculosis",)),
    ]


LOCAL = textwrap.dedent(
    """\
    format: hbm-screening/1
    kind: pathways
    id: local
    version: 2
    title: {en: Local, fr: Local, ar: محلي}
    sources: [a test]
    deadlines_hours: {life_threatening: 0.5, high: 12, medium: 48, low: 120}
    service_types:
      - id: gbv
        label: {en: GBV, fr: VBG, ar: عنف}
      - id: medical
        label: {en: Medical, fr: Médical, ar: طبي}
      - id: shelter
        label: {en: Shelter, fr: Abri, ar: مأوى}
    pathways:
      - id: national
        flags: [SV]
        service: gbv
      - id: north
        flags: [SV]
        areas: [north]
        service: shelter
      - id: bcp-7
        flags: [SV]
        crossing_points: [BCP-7]
        service: medical
      - id: bcp-7-urgent
        flags: [SV]
        crossing_points: [BCP-7]
        urgencies: [life_threatening]
        service: shelter
    """
)


@pytest.mark.parametrize(
    ("place", "urgency", "services"),
    [
        (Place(), Urgency.HIGH, ["gbv"]),
        (Place(area="south"), Urgency.HIGH, ["gbv"]),
        (Place(area="north"), Urgency.HIGH, ["shelter"]),
        (Place("BCP-3", "north"), Urgency.HIGH, ["shelter"]),
        (Place("BCP-7", "north"), Urgency.HIGH, ["medical"]),
        (Place("BCP-7", "north"), Urgency.LIFE_THREATENING, ["medical", "shelter"]),
    ],
)
def test_the_most_specific_place_wins_and_urgency_filters(
    place: Place, urgency: Urgency, services: list[str]
) -> None:
    pathways = load_pathways(LOCAL)
    suggestions = suggest_referrals(pathways, flags=[flag("SV-FM", "gbv", urgency)], place=place)
    assert sorted(s.service for s in suggestions) == services
    assert all(s.deadline == pathways.deadlines[urgency] for s in suggestions)


def test_deadlines_per_country_come_from_the_pathways_file() -> None:
    deadlines = load_pathways(LOCAL).deadlines
    assert deadlines[Urgency.LIFE_THREATENING] == timedelta(minutes=30)
    assert deadlines[Urgency.LOW] == timedelta(days=5)


def test_a_flag_no_pathway_matches_is_not_suggested() -> None:
    assert suggest_referrals(load_pathways(LOCAL), flags=[flag("SC-UC", "uasc", Urgency.HIGH)]) == ()


def test_the_shipped_files_fit_together() -> None:
    questionnaire, checklist, pathways = first_contact_screening(), poe_health_checklist(), default_pathways()
    concerns = {c.id for c in questionnaire.concerns}
    assert {c for p in pathways.pathways for c in p.concerns} <= concerns
    assert {d for p in pathways.pathways for d in p.diseases} == {d.id for d in checklist.diseases}
    # Every rule of the shipped questionnaire, at every urgency it can have, leads somewhere.
    for rule in questionnaire.rules:
        assert suggest_referrals(pathways, flags=[flag(rule.flag, rule.concern, rule.urgency)]), rule.id
    # The service types are those of the protection app's directory (hbm.protection.enums.ServiceType).
    assert {s.id for s in pathways.service_types} <= {
        "child_protection", "anti_trafficking", "gbv", "torture_rehabilitation", "medical", "isolation",
        "mental_health", "maternal_health", "disability", "older_persons", "asylum", "family_tracing",
        "shelter", "return", "other",
    }  # fmt: skip
