"""The demo's plan of arrivals: reproducible, shaped like the surge it describes, plausible people."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hbm.demo.scenario import DemoPlan, PlannedPerson, birth_date_for_age, demo_plan
from hbm.engines.mrz import parse_mrz
from hbm.registration.enums import DocumentCondition, DocumentKind, Relationship, SpecificNeed
from hbm.registration.values import age_on

ZONE = ZoneInfo("Europe/Chisinau")
# A fixed afternoon: day 3 has begun, and nothing depends on when the test runs.
NOW = datetime(2025, 3, 12, 15, 30, tzinfo=ZONE)


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return demo_plan(seed=2026, now=NOW)


def _people(plan: DemoPlan) -> list[PlannedPerson]:
    return [m for g in plan.groups for m in g.members] + [c.person for c in plan.unaccompanied_children]


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    assert demo_plan(seed=7, now=NOW, scale=0.2) == demo_plan(seed=7, now=NOW, scale=0.2)
    assert demo_plan(seed=7, now=NOW, scale=0.2) != demo_plan(seed=8, now=NOW, scale=0.2)


def test_three_local_days_end_now_with_day_two_the_peak(plan: DemoPlan) -> None:
    arrivals: Counter[date] = Counter()
    for count in plan.counts:
        arrivals[count.at.date()] += count.total
    for group in plan.groups:
        arrivals[group.at.date()] += len(group.members)

    assert plan.days == (date(2025, 3, 10), date(2025, 3, 11), date(2025, 3, 12))
    assert set(arrivals) == set(plan.days)
    assert arrivals[plan.days[1]] > arrivals[plan.days[0]] > 0
    assert arrivals[plan.days[1]] > arrivals[plan.days[2]] > 0
    assert 2_500 <= sum(arrivals.values()) <= 4_000
    assert max(g.at for g in plan.groups) < NOW
    assert all(
        g.registered_from + timedelta(minutes=2 * len(g.members)) < NOW
        for g in plan.groups
        if g.registered_from
    )


def test_head_counts_happen_when_the_queue_is_long(plan: DemoPlan) -> None:
    hours = Counter(c.at.hour for c in plan.counts)

    assert plan.people_counted > 0
    assert set(hours) <= set(range(7, 19)), "counting is for the busy hours, not the night"


def test_families_are_plausible(plan: DemoPlan) -> None:
    people = _people(plan)
    children = sum(p.is_child for p in people) / len(people)
    older = sum(p.age >= 60 for p in people) / len(people)
    sizes = Counter(len(g.members) for g in plan.groups)
    nationalities = Counter(p.nationality for p in people)

    assert 0.35 <= children <= 0.45
    assert 0.05 <= older <= 0.20
    assert set(sizes) == set(range(1, 10))
    assert nationalities.most_common(1)[0][0] == "UKR"
    assert set(nationalities) == {"UKR", "SYR", "AFG", "IND", "NGA", "ERI", "XXA"}
    for group in plan.groups:
        head, *others = group.members
        assert head.relationship == Relationship.HEAD
        assert all(m.relationship != Relationship.HEAD for m in others)
        assert all(head.age - m.age >= 18 for m in others if m.relationship == Relationship.CHILD)
        # No two of one family share a given name: the duplicate checks would take them for one.
        assert len({m.given.latin for m in group.members}) == len(group.members)


def test_names_are_in_their_own_script_and_in_latin_letters(plan: DemoPlan) -> None:
    scripts = {"UKR": "CYRILLIC", "SYR": "ARABIC", "AFG": "ARABIC", "ERI": "ETHIOPIC", "IND": "LATIN"}
    for person in _people(plan):
        assert all(
            c.isascii() and (c.isalpha() or c in " -") for c in person.given.latin + person.family.latin
        )
        expected = scripts.get(person.nationality, "LATIN")
        letters = [c for c in person.given.original + person.family.original if c.isalpha()]
        assert all(expected in unicodedata.name(c) for c in letters), (person.nationality, person.given)


def test_documents_are_valid_expired_or_damaged_as_planned(plan: DemoPlan) -> None:
    documents = [(p, d) for p in _people(plan) for d in p.documents]
    today = NOW.date()
    conditions = Counter(d.condition for _, d in documents)

    assert set(conditions) == set(DocumentCondition)
    assert conditions.most_common(1)[0][0] == DocumentCondition.VALID
    for person, document in documents:
        read = parse_mrz(document.mrz, today=today)
        assert read.format == ("TD1" if document.kind == DocumentKind.IDENTITY_CARD else "TD3")
        assert (read.surname, read.date_of_birth) == (
            person.family.latin.upper().replace("-", " "),
            person.date_of_birth,
        )
        assert read.is_valid is (document.condition != DocumentCondition.DAMAGED)
        assert document.is_damaged is (document.condition == DocumentCondition.DAMAGED)
        if document.condition != DocumentCondition.DAMAGED:
            assert read.expired is (document.condition == DocumentCondition.EXPIRED)


def test_people_without_documents_are_often_estimated(plan: DemoPlan) -> None:
    undocumented = [p for p in _people(plan) if not p.documents]
    given = Counter(p.birth_given for p in undocumented)

    assert given["estimated"] > given["year"] > 0
    assert given["date"] > 0
    assert all(p.birth_given == "date" for p in _people(plan) if p.documents)


def test_specific_needs_include_children_alone_caregivers_and_older_people(plan: DemoPlan) -> None:
    needs = Counter(n for p in _people(plan) for n in p.specific_needs)

    assert len(plan.unaccompanied_children) == 15
    assert all(c.person.is_child and c.person.relationship is None for c in plan.unaccompanied_children)
    assert needs[SpecificNeed.UNACCOMPANIED_CHILD] == 15
    for need in (
        SpecificNeed.SEPARATED_CHILD,
        SpecificNeed.SINGLE_CAREGIVER,
        SpecificNeed.OLDER_PERSON_AT_RISK,
        SpecificNeed.SERIOUS_MEDICAL_CONDITION,
        SpecificNeed.DISABILITY,
        SpecificNeed.PREGNANT_OR_LACTATING,
    ):
        assert needs[need] > 0, need


def test_scale_shrinks_every_number() -> None:
    small = demo_plan(seed=2026, now=NOW, scale=0.05)

    assert 100 <= small.people_counted + small.people_in_groups <= 220
    assert len(small.unaccompanied_children) == 1


@pytest.mark.parametrize("age", [0, 1, 17, 60, 99])
def test_a_planned_birth_date_gives_the_age_and_is_never_today(age: int) -> None:
    rng = random.Random(age)
    today = date(2024, 2, 29)
    for _ in range(200):
        born = birth_date_for_age(rng, age, today)
        assert age_on(born, today) == age
        assert born < today


def test_now_must_carry_its_zone() -> None:
    with pytest.raises(ValueError, match="aware"):
        demo_plan(seed=1, now=NOW.replace(tzinfo=None))


def test_most_people_give_their_fathers_name_and_fewer_their_mothers(plan: DemoPlan) -> None:
    people = _people(plan)
    fathers = sum(bool(p.father_name) for p in people) / len(people)
    mothers = sum(bool(p.mother_name) for p in people) / len(people)
    adults = [p for p in people if not p.is_child]
    children = [p for p in people if p.is_child]

    assert 0.75 <= fathers <= 0.95
    assert 0.40 <= mothers <= 0.60
    assert sum(bool(p.father_name) for p in adults) > len(adults) / 2
    assert sum(bool(p.father_name) for p in children) > len(children) / 2
    assert all(not t.person.father_name and not t.person.mother_name for t in plan.airport_travellers)


def test_children_of_one_family_give_the_same_parents(plan: DemoPlan) -> None:
    def full(person: PlannedPerson) -> str:
        return f"{person.given.latin} {person.family.latin}"

    for group in plan.groups:
        head = group.members[0]
        children = [m for m in group.members if m.relationship == Relationship.CHILD]
        assert len({c.father_name for c in children if c.father_name}) <= 1, group
        assert len({c.mother_name for c in children if c.mother_name}) <= 1, group
        for child in children:
            if head.sex == "M" and child.father_name and group.nationality not in {"SYR", "AFG"}:
                assert child.father_name == full(head)
            if head.sex == "M" and child.father_name and group.nationality in {"SYR", "AFG"}:
                assert child.father_name == head.given.latin  # their papers give the first name alone
            if head.sex == "F" and child.mother_name:
                assert child.mother_name == full(head)
        siblings = [m for m in group.members if m.relationship in {Relationship.HEAD, Relationship.SIBLING}]
        assert len({s.father_name for s in siblings if s.father_name}) <= 1, group


def test_parents_names_are_in_latin_letters_first_name_first(plan: DemoPlan) -> None:
    for person in _people(plan):
        for name in (person.father_name, person.mother_name):
            assert all(c.isascii() and (c.isalpha() or c in " -") for c in name), name
            assert name == name.strip()


def test_the_parents_names_leave_every_other_draw_of_the_plan_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from hbm.demo import scenario

    def without_parents(p: DemoPlan) -> DemoPlan:
        return replace(
            p,
            groups=tuple(
                replace(g, members=tuple(replace(m, father_name="", mother_name="") for m in g.members))
                for g in p.groups
            ),
            unaccompanied_children=tuple(
                replace(c, person=replace(c.person, father_name="", mother_name=""))
                for c in p.unaccompanied_children
            ),
            registered_again=tuple(
                replace(c, person=replace(c.person, father_name="", mother_name=""))
                for c in p.registered_again
            ),
        )

    with_parents = demo_plan(seed=7, now=NOW, scale=0.2)
    monkeypatch.setattr(scenario, "_with_parents", lambda rng, group: group)
    monkeypatch.setattr(scenario, "_alone_with_parents", lambda rng, individual: individual)

    assert without_parents(with_parents) == demo_plan(seed=7, now=NOW, scale=0.2)


def test_an_eritreans_father_is_named_by_the_persons_second_name(plan: DemoPlan) -> None:
    """No family name: SABA MERHAWI is the daughter of MERHAWI GEBREMEDHIN (Eritreans in the demo
    travel with people met on the way, so every father is one of these)."""
    from hbm.demo.names import NAME_POOLS, Name
    from hbm.demo.parents import drawn_parents

    eritreans = [p for p in _people(plan) if p.nationality == "ERI" and p.father_name]
    assert eritreans
    for person in eritreans:
        first, grandfather = person.father_name.split()
        assert first == person.family.latin != grandfather
    drawn = drawn_parents(
        random.Random(1), NAME_POOLS["ERI"], "ERI", Name("መርሃዊ", "Merhawi"), age=9, takes_husbands_name=False
    )
    assert drawn.father.split()[0] == "Merhawi"


def test_a_few_adults_come_back_and_are_registered_again_without_papers_spelt_another_way(
    plan: DemoPlan,
) -> None:
    members = {
        (m.given.original, m.family.original, m.date_of_birth): (g, m)
        for g in plan.groups
        if g.registered_from is not None
        for m in g.members
    }
    assert 1 <= len(plan.registered_again) <= 4
    for individual in plan.registered_again:
        again = individual.person
        group, first = members[(again.given.original, again.family.original, again.date_of_birth)]
        assert group.nationality in ("AFG", "SYR", "ERI")
        assert not again.is_child
        assert again.documents == ()
        assert (again.given.latin, again.family.latin) != (first.given.latin, first.family.latin)
        assert group.registered_from is not None
        assert group.registered_from < individual.at < NOW
        assert again.father_name == first.father_name
