"""The demo emergency as a plan: who arrives when, in which tier, with which papers. Pure, no database.

Three local days end at ``now``: day 1 (the day before yesterday), day 2 (yesterday, the peak) and
day 3 (today, up to ``now``). Each full day has a total of arrivals (:data:`DAY_ARRIVALS`) spread
over the hours by :data:`HOUR_WEIGHTS`. Within an hour, the group pre-registration lanes take up to
:data:`GROUP_LANE_CAPACITY` people; when the queue is longer, most of the excess is head-counted by
sex and age band (the first tier of emergency registration) instead. Pre-registered groups are
later registered person by person, unless they are still in the backlog at ``now``. A few
unaccompanied children are registered alone by the screening officer. A few adults who came with a
group come back to the crossing later the same day and are registered again, alone, without their
papers and with their name spelt another way (:data:`REGISTERED_AGAIN`): the duplicate checks have
real duplicates to find.

Everything is drawn from one ``random.Random(seed)``, in a fixed order, so the same seed, scale and
``now`` give the same plan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from hbm.demo.names import NAME_POOLS, UKRAINIAN_PLACES_OF_BIRTH, Name, NamePool
from hbm.demo.parents import alone_parents, group_parents, parents_rng
from hbm.engines.mrz import build_td1, build_td3
from hbm.engines.synthetic import latin_variant
from hbm.engines.tokens import token_generate
from hbm.registration.enums import (
    AgeBand,
    DocumentCondition,
    DocumentKind,
    Relationship,
    Sex,
    SpecificNeed,
)

# People arriving over a whole local day: day 2 is the peak of the surge.
DAY_ARRIVALS: tuple[int, int, int] = (1000, 1600, 1300)
# Relative arrivals per local hour 0-23: few at night, most from late morning to afternoon.
HOUR_WEIGHTS: tuple[int, ...] = (
    3,
    2,
    2,
    2,
    2,
    3,
    5,
    8,
    10,
    12,
    13,
    13,
    12,
    12,
    11,
    11,
    10,
    9,
    8,
    7,
    6,
    5,
    4,
    3,
)
# People an hour the group pre-registration lanes take; beyond that the queue is head-counted.
GROUP_LANE_CAPACITY = 65
# Share of the people beyond lane capacity who are head-counted (the rest queue for a token).
COUNTED_SHARE_OF_EXCESS = 0.8
# Share of pre-registered groups whose members are then registered one by one (if not in backlog).
INDIVIDUAL_REGISTRATION_SHARE = 0.75
UNACCOMPANIED_CHILDREN = 15
REGISTERED_AGAIN = 4  # adults from Afghanistan, Syria or Eritrea registered a second time
AIRPORT_TRAVELLERS = 8

NATIONALITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("UKR", 0.80),
    ("SYR", 0.04),
    ("AFG", 0.04),
    ("IND", 0.04),
    ("NGA", 0.03),
    ("ERI", 0.03),
    ("XXA", 0.02),
)
# Families and travel groups of 1-9 people; Ukrainian families are mostly mothers, children and
# grandparents (men of 18-60 may not leave under martial law).
UKRAINIAN_GROUP_SIZES: tuple[float, ...] = (0.20, 0.26, 0.24, 0.14, 0.08, 0.04, 0.02, 0.01, 0.01)
OTHER_GROUP_SIZES: tuple[float, ...] = (0.35, 0.25, 0.15, 0.12, 0.07, 0.03, 0.015, 0.01, 0.005)
# Who carries an identity document, by nationality: (adults, children).
DOCUMENT_SHARE: dict[str, tuple[float, float]] = {
    "UKR": (0.65, 0.25),
    "SYR": (0.30, 0.10),
    "AFG": (0.25, 0.05),
    "IND": (0.85, 0.50),
    "NGA": (0.80, 0.40),
    "ERI": (0.10, 0.0),
    "XXA": (0.0, 0.0),
}
DOCUMENT_CONDITIONS: tuple[tuple[DocumentCondition, float], ...] = (
    (DocumentCondition.VALID, 0.80),
    (DocumentCondition.EXPIRED, 0.12),
    (DocumentCondition.DAMAGED, 0.08),
)
# Head counts by sex and age band, the mix of the crossing (women, children, older people).
COUNT_MIX: tuple[tuple[Sex, AgeBand, float], ...] = (
    (Sex.FEMALE, AgeBand.AGE_18_59, 0.36),
    (Sex.MALE, AgeBand.AGE_18_59, 0.06),
    (Sex.FEMALE, AgeBand.AGE_60_PLUS, 0.08),
    (Sex.MALE, AgeBand.AGE_60_PLUS, 0.05),
    (Sex.FEMALE, AgeBand.AGE_0_4, 0.06),
    (Sex.MALE, AgeBand.AGE_0_4, 0.06),
    (Sex.FEMALE, AgeBand.AGE_5_11, 0.09),
    (Sex.MALE, AgeBand.AGE_5_11, 0.09),
    (Sex.FEMALE, AgeBand.AGE_12_17, 0.075),
    (Sex.MALE, AgeBand.AGE_12_17, 0.075),
)


@dataclass(frozen=True, slots=True)
class PlannedDocument:
    """A document as the officer submits it, and the condition the system should record."""

    kind: DocumentKind
    mrz: str
    is_damaged: bool
    condition: DocumentCondition


@dataclass(frozen=True, slots=True)
class PlannedPerson:
    """One person. ``date_of_birth`` is the true date; ``birth_given`` says what the officer records:
    ``"date"``, ``"year"`` or ``"estimated"`` (then ``estimated_age``)."""

    given: Name
    family: Name
    sex: Sex
    age: int
    date_of_birth: date
    birth_given: str
    estimated_age: int
    nationality: str
    languages: tuple[str, ...]
    relationship: Relationship | None = None
    specific_needs: tuple[SpecificNeed, ...] = ()
    documents: tuple[PlannedDocument, ...] = ()
    place_of_birth: str = ""
    # The parents' names the person gives ("": not given); see hbm.demo.parents.
    father_name: str = ""
    mother_name: str = ""

    @property
    def is_child(self) -> bool:
        return self.age < 18


@dataclass(frozen=True, slots=True)
class PlannedCount:
    at: datetime
    cells: tuple[tuple[Sex, AgeBand, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, _, count in self.cells)


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    """A group pre-registered at ``at``; its members registered one by one from ``registered_from``
    (``None``: still in the backlog). ``officer`` is 0 or 1, the border officer who works the lane."""

    at: datetime
    token: str
    nationality: str
    members: tuple[PlannedPerson, ...]
    officer: int
    registered_from: datetime | None

    @property
    def head_name(self) -> str:
        head = self.members[0]
        return f"{head.given.latin} {head.family.latin}"


@dataclass(frozen=True, slots=True)
class PlannedIndividual:
    """Someone registered alone, without a group: an unaccompanied child, or a traveller at the airport."""

    at: datetime
    person: PlannedPerson


@dataclass(frozen=True, slots=True)
class DemoPlan:
    days: tuple[date, date, date]
    counts: tuple[PlannedCount, ...]
    groups: tuple[PlannedGroup, ...]
    unaccompanied_children: tuple[PlannedIndividual, ...]
    airport_travellers: tuple[PlannedIndividual, ...] = field(default=())
    registered_again: tuple[PlannedIndividual, ...] = field(default=())

    @property
    def people_counted(self) -> int:
        return sum(c.total for c in self.counts)

    @property
    def people_in_groups(self) -> int:
        return sum(len(g.members) for g in self.groups)


# --- time -----------------------------------------------------------------------------------------


def _hour_windows(day: date, zone: ZoneInfo, now: datetime) -> list[tuple[datetime, datetime, float]]:
    """(start, end, share of the hour) of each local hour of ``day`` that has begun before ``now``."""
    windows = []
    for hour in range(24):
        start = datetime.combine(day, time(hour), tzinfo=zone)
        # Arithmetic on aware datetimes in one zone ignores DST shifts: go through UTC.
        end = (start.astimezone(ZoneInfo("UTC")) + timedelta(hours=1)).astimezone(zone)
        latest = now - timedelta(minutes=2)
        if start >= latest:
            break
        if end > latest:
            windows.append((start, latest, (latest - start) / (end - start)))
            break
        windows.append((start, end, 1.0))
    return windows


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randint(0, max(0, seconds - 1)))


# --- people ----------------------------------------------------------------------------------------


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def birth_date_for_age(rng: random.Random, age: int, today: date) -> date:
    """A date of birth that makes someone exactly ``age`` (completed years) on ``today``.

    Never ``today`` itself: the server checks dates of birth against its UTC date, which is still
    yesterday during the first local hours of the day east of Greenwich.
    """
    latest = min(_shift_years(today, -age), today - timedelta(days=1))
    earliest = _shift_years(today, -(age + 1)) + timedelta(days=1)
    return earliest + timedelta(days=rng.randint(0, (latest - earliest).days))


@dataclass(frozen=True, slots=True)
class _Member:
    sex: Sex
    age: int
    relationship: Relationship
    needs: tuple[SpecificNeed, ...] = ()


def _female_or_male(rng: random.Random, female_share: float) -> Sex:
    return Sex.FEMALE if rng.random() < female_share else Sex.MALE


def _children(rng: random.Random, count: int, parent_age: int) -> list[_Member]:
    oldest = max(0, min(17, parent_age - 18))
    return [
        _Member(_female_or_male(rng, 0.5), rng.randint(0, oldest), Relationship.CHILD) for _ in range(count)
    ]


def _ukrainian_family(rng: random.Random, size: int) -> list[_Member]:
    """A Ukrainian family: mostly a mother with children, often a grandparent, rarely a father."""
    female, male = Sex.FEMALE, Sex.MALE
    if size == 1:
        kind = rng.random()
        if kind < 0.6:
            return [_Member(female, rng.randint(18, 59), Relationship.HEAD)]
        return [_Member(female if kind < 0.85 else male, rng.randint(60, 88), Relationship.HEAD)]
    if size == 2:
        kind = rng.random()
        if kind < 0.5:
            mother = rng.randint(22, 45)
            return [_Member(female, mother, Relationship.HEAD), *_children(rng, 1, mother)]
        if kind < 0.65:
            grandmother = rng.randint(55, 75)
            child = _Member(_female_or_male(rng, 0.5), rng.randint(3, 15), Relationship.GRANDCHILD)
            return [_Member(female, grandmother, Relationship.HEAD), child]
        if kind < 0.85:
            husband = rng.randint(62, 82)
            return [
                _Member(male, husband, Relationship.HEAD),
                _Member(female, max(60, husband - rng.randint(0, 5)), Relationship.SPOUSE),
            ]
        return [
            _Member(female, rng.randint(25, 55), Relationship.HEAD),
            _Member(female, rng.randint(20, 58), Relationship.SIBLING),
        ]
    mother = rng.randint(24, 48)
    members = [_Member(female, mother, Relationship.HEAD)]
    room = size - 1
    if rng.random() < 0.45:
        members.append(
            _Member(female if rng.random() < 0.8 else male, rng.randint(60, 84), Relationship.PARENT)
        )
        room -= 1
    if room >= 2 and rng.random() < 0.15:
        members.append(_Member(female, rng.randint(18, 59), Relationship.SIBLING))
        room -= 1
    if room >= 3 and rng.random() < 0.25:
        # Fathers of three or more children may leave under martial law.
        members.append(_Member(male, mother + rng.randint(0, 6), Relationship.SPOUSE))
        room -= 1
    if room >= 2 and rng.random() < 0.2:
        # A niece or nephew travelling with the aunt: separated from the parents.
        niece = _Member(_female_or_male(rng, 0.5), rng.randint(4, 16), Relationship.OTHER_RELATIVE)
        members.append(replace(niece, needs=(SpecificNeed.SEPARATED_CHILD,) if rng.random() < 0.6 else ()))
        room -= 1
    members.extend(_children(rng, room, mother))
    return members


def _student_group(rng: random.Random, size: int, female_share: float) -> list[_Member]:
    """Students or workers who travelled together from a Ukrainian city: unrelated adults."""
    return [
        _Member(
            _female_or_male(rng, female_share),
            rng.randint(18, 29),
            Relationship.HEAD if i == 0 else Relationship.UNRELATED,
        )
        for i in range(size)
    ]


def _parents_and_children(rng: random.Random, size: int) -> list[_Member]:
    father = rng.randint(26, 52)
    members = [_Member(Sex.MALE, father, Relationship.HEAD)]
    if size >= 2:
        members.append(_Member(Sex.FEMALE, father - rng.randint(0, 8), Relationship.SPOUSE))
    return members + _children(rng, size - len(members), father - 4)


def _young_men(rng: random.Random, size: int) -> list[_Member]:
    relationships = (Relationship.SIBLING, Relationship.UNRELATED, Relationship.OTHER_RELATIVE)
    return [
        _Member(Sex.MALE, rng.randint(18, 35), Relationship.HEAD if i == 0 else rng.choice(relationships))
        for i in range(size)
    ]


def _eritrean_group(rng: random.Random, size: int) -> list[_Member]:
    members = _student_group(rng, size, 0.4)
    if size >= 2 and rng.random() < 0.3:
        # A teenager who left with adults met on the way: a separated child.
        members[-1] = _Member(
            _female_or_male(rng, 0.3),
            rng.randint(15, 17),
            Relationship.UNRELATED,
            (SpecificNeed.SEPARATED_CHILD,),
        )
    return members


def _composition(rng: random.Random, nationality: str, size: int) -> list[_Member]:
    if nationality == "UKR":
        return _ukrainian_family(rng, size)
    if nationality in {"IND", "NGA"}:
        if nationality == "NGA" and size >= 3 and rng.random() < 0.3:
            return _parents_and_children(rng, size)
        return _student_group(rng, min(size, 5), 0.4)
    if nationality in {"SYR", "AFG"}:
        return _parents_and_children(rng, size) if rng.random() < 0.6 else _young_men(rng, min(size, 4))
    if nationality == "ERI":
        return _eritrean_group(rng, min(size, 4))
    return _parents_and_children(rng, size)


def _needs(rng: random.Random, member: _Member, members: list[_Member]) -> tuple[SpecificNeed, ...]:
    """Quick specific-needs flags as an officer would tick them at registration."""
    needs = set(member.needs)
    adults = [m for m in members if 18 <= m.age < 60]
    children = [m for m in members if m.age < 18]
    is_only_caregiver = member.relationship == Relationship.HEAD and adults == [member] and bool(children)
    if is_only_caregiver and rng.random() < 0.7:
        needs.add(SpecificNeed.SINGLE_CAREGIVER)
    is_older_alone_or_frail = member.age >= 60 and (len(members) == 1 or member.age >= 75)
    if is_older_alone_or_frail and rng.random() < 0.4:
        needs.add(SpecificNeed.OLDER_PERSON_AT_RISK)
    if member.sex == Sex.FEMALE and 18 <= member.age <= 45:
        has_baby = any(c.age <= 1 for c in children) and member.relationship in {
            Relationship.HEAD,
            Relationship.SPOUSE,
        }
        if rng.random() < (0.4 if has_baby else 0.03):
            needs.add(SpecificNeed.PREGNANT_OR_LACTATING)
        if len(members) == 1 and rng.random() < 0.08:
            needs.add(SpecificNeed.WOMAN_AT_RISK)
    if rng.random() < 0.03:
        needs.add(SpecificNeed.SERIOUS_MEDICAL_CONDITION)
    if rng.random() < 0.02:
        needs.add(SpecificNeed.DISABILITY)
    return tuple(sorted(needs))


def _document_number(rng: random.Random, nationality: str, kind: DocumentKind) -> str:
    digits = "0123456789"
    letters = "ABCEHKMNPTX"
    if nationality == "UKR" and kind == DocumentKind.IDENTITY_CARD:
        return "".join(rng.choice(digits) for _ in range(9))
    if nationality == "UKR":
        return "F" + rng.choice(letters) + "".join(rng.choice(digits) for _ in range(6))
    if nationality == "IND":
        return rng.choice(letters) + "".join(rng.choice(digits) for _ in range(7))
    prefix = {"SYR": "N", "AFG": "P", "NGA": "A"}.get(nationality, "X")
    return prefix + "".join(rng.choice(digits) for _ in range(8))


def _corrupt_check_digit(mrz: str, kind: DocumentKind) -> str:
    """The document-number check digit changed, as a scratch or a stain on the paper would."""
    lines = mrz.split("\n")
    line, position = (0, 14) if kind == DocumentKind.IDENTITY_CARD else (1, 9)
    digit = lines[line][position]
    wrong = str((int(digit) + 1) % 10) if digit.isdigit() else "0"
    lines[line] = lines[line][:position] + wrong + lines[line][position + 1 :]
    return "\n".join(lines)


def _document(rng: random.Random, person: PlannedPerson, today: date, kind: DocumentKind) -> PlannedDocument:
    conditions = [condition for condition, _ in DOCUMENT_CONDITIONS]
    condition = rng.choices(conditions, weights=[weight for _, weight in DOCUMENT_CONDITIONS])[0]
    if condition == DocumentCondition.EXPIRED:
        expiry = today - timedelta(days=rng.randint(30, 2000))
    else:
        expiry = today + timedelta(days=rng.randint(60, 3600))
    # A Ukrainian identity card is a TD1 card ("ID"); passports are TD3 booklets ("P").
    build = partial(build_td1, document_type="ID") if kind == DocumentKind.IDENTITY_CARD else build_td3
    mrz = build(
        issuing_state=person.nationality,
        surname=person.family.latin,
        given_names=person.given.latin,
        document_number=_document_number(rng, person.nationality, kind),
        nationality=person.nationality,
        date_of_birth=person.date_of_birth,
        sex=person.sex.value,
        date_of_expiry=expiry,
    )
    is_damaged = condition == DocumentCondition.DAMAGED
    return PlannedDocument(
        kind=kind,
        mrz=_corrupt_check_digit(mrz, kind) if is_damaged else mrz,
        is_damaged=is_damaged,
        condition=condition,
    )


def _documents(rng: random.Random, person: PlannedPerson, today: date) -> tuple[PlannedDocument, ...]:
    adults_share, children_share = DOCUMENT_SHARE.get(person.nationality, (0.0, 0.0))
    if rng.random() >= (children_share if person.is_child else adults_share):
        return ()
    has_id_card = person.nationality == "UKR" and person.age >= 14 and rng.random() < 0.4
    kind = DocumentKind.IDENTITY_CARD if has_id_card else DocumentKind.PASSPORT
    return (_document(rng, person, today, kind),)


def _birth_given(rng: random.Random, age: int, has_document: bool) -> tuple[str, int]:
    """What the officer records without a document: mostly an estimate (children more precisely)."""
    if has_document:
        return "date", age
    draw = rng.random()
    if draw < 0.55:
        spread = 1 if age < 18 else 3
        return "estimated", max(0, age + rng.randint(-spread, spread))
    return ("year", age) if draw < 0.75 else ("date", age)


def _person(
    rng: random.Random,
    pool: NamePool,
    nationality: str,
    member: _Member,
    family: Name,
    today: date,
    needs: tuple[SpecificNeed, ...],
) -> PlannedPerson:
    person = PlannedPerson(
        given=pool.given(rng, member.sex, member.age),
        family=family,
        sex=member.sex,
        age=member.age,
        date_of_birth=birth_date_for_age(rng, member.age, today),
        birth_given="",
        estimated_age=member.age,
        nationality=nationality,
        languages=pool.languages_draw(rng),
        relationship=member.relationship,
        specific_needs=needs,
    )
    documents = _documents(rng, person, today)
    birth_given, estimated_age = _birth_given(rng, member.age, bool(documents))
    place = rng.choice(UKRAINIAN_PLACES_OF_BIRTH) if nationality == "UKR" and documents else ""
    return replace(
        person,
        documents=documents,
        birth_given=birth_given,
        estimated_age=estimated_age,
        place_of_birth=place,
    )


def _has_own_family_name(member: _Member, pool: NamePool) -> bool:
    """Companions, grandparents (often the mother's side) and, where custom has it, wives."""
    if member.relationship in {Relationship.UNRELATED, Relationship.OTHER_RELATIVE, Relationship.PARENT}:
        return True
    return member.relationship == Relationship.SPOUSE and pool.spouse_keeps_family_name


def group_members(rng: random.Random, nationality: str, size: int, today: date) -> tuple[PlannedPerson, ...]:
    """The people of one family or travel group, head first."""
    pool = NAME_POOLS[nationality]
    composition = _composition(rng, nationality, size)
    family = pool.family_name(rng)
    family_names = {"F": family.female, "M": family.male}
    people: list[PlannedPerson] = []
    for member in composition:
        if _has_own_family_name(member, pool):
            surname = pool.family_name(rng).for_sex(member.sex)
        else:
            surname = family_names["F" if member.sex == Sex.FEMALE else "M"]
        person = _person(rng, pool, nationality, member, surname, today, _needs(rng, member, composition))
        taken = {other.given.latin for other in people}
        for _ in range(20):  # no two of one family share a given name (the checks would see one person)
            if person.given.latin not in taken:
                break
            person = replace(person, given=pool.given(rng, member.sex, member.age))
        people.append(person)
    return tuple(people)


# --- the plan ----------------------------------------------------------------------------------------


def _group_size(rng: random.Random, nationality: str) -> int:
    weights = UKRAINIAN_GROUP_SIZES if nationality == "UKR" else OTHER_GROUP_SIZES
    return rng.choices(range(1, 10), weights=weights)[0]


def _count_cells(rng: random.Random, people: int) -> tuple[tuple[Sex, AgeBand, int], ...]:
    drawn = rng.choices(range(len(COUNT_MIX)), weights=[w for _, _, w in COUNT_MIX], k=people)
    return tuple(
        (sex, band, drawn.count(index))
        for index, (sex, band, _) in enumerate(COUNT_MIX)
        if drawn.count(index)
    )


def _hour_counts(rng: random.Random, people: int, start: datetime, end: datetime) -> list[PlannedCount]:
    counts = []
    while people > 0:
        batch = min(people, rng.randint(15, 50))
        counts.append(PlannedCount(at=_moment(rng, start, end), cells=_count_cells(rng, batch)))
        people -= batch
    return counts


def _hour_groups(
    rng: random.Random,
    people: int,
    start: datetime,
    end: datetime,
    now: datetime,
    used_tokens: set[str],
) -> list[PlannedGroup]:
    groups = []
    nationalities, weights = zip(*NATIONALITY_WEIGHTS, strict=True)
    while people > 0:
        nationality = rng.choices(nationalities, weights=weights)[0]
        members = group_members(rng, nationality, min(people, _group_size(rng, nationality)), now.date())
        at = _moment(rng, start, end)
        first = at + timedelta(minutes=rng.randint(10, 240))
        # Members are registered two minutes apart; a group not done by `now` is still in the backlog.
        is_done = first + timedelta(minutes=2 * len(members)) <= now - timedelta(minutes=1)
        is_registered = rng.random() < INDIVIDUAL_REGISTRATION_SHARE and is_done
        registered_from = first if is_registered else None
        token = token_generate(rng)
        while token in used_tokens:
            token = token_generate(rng)
        used_tokens.add(token)
        groups.append(PlannedGroup(at, token, nationality, members, rng.randint(0, 1), registered_from))
        people -= len(members)
    return groups


def _unaccompanied_child(rng: random.Random, at: datetime, today: date) -> PlannedIndividual:
    nationality = rng.choices(("UKR", "AFG", "ERI", "SYR"), weights=(0.6, 0.15, 0.15, 0.1))[0]
    pool = NAME_POOLS[nationality]
    member = _Member(
        _female_or_male(rng, 0.4), rng.choice((10, 12, 13, 14, 15, 15, 16, 16, 17, 17)), Relationship.HEAD
    )
    family = pool.family_name(rng).for_sex(member.sex)
    person = _person(rng, pool, nationality, member, family, today, (SpecificNeed.UNACCOMPANIED_CHILD,))
    return PlannedIndividual(at=at, person=replace(person, relationship=None))


# Documented travellers at the airport in normal mode: (given, family, sex, nationality, place of birth).
_AIRPORT_PASSENGERS: tuple[tuple[str, str, Sex, str, str], ...] = (
    ("Andrei", "Ionescu", Sex.MALE, "ROU", "Iasi"),
    ("Elif", "Yilmaz", Sex.FEMALE, "TUR", "Istanbul"),
    ("Anna", "Schmidt", Sex.FEMALE, "DEU", "Leipzig"),
    ("Mehmet", "Kaya", Sex.MALE, "TUR", "Ankara"),
    ("Daniela", "Rusu", Sex.FEMALE, "MDA", "Balti"),
    ("Giorgi", "Beridze", Sex.MALE, "GEO", "Tbilisi"),
    ("Marco", "Rossi", Sex.MALE, "ITA", "Bologna"),
    ("Ioana", "Marin", Sex.FEMALE, "ROU", "Galati"),
)


def _airport_traveller(rng: random.Random, index: int, at: datetime, today: date) -> PlannedIndividual:
    given, family, sex, nationality, place = _AIRPORT_PASSENGERS[index % len(_AIRPORT_PASSENGERS)]
    age = rng.randint(21, 68)
    person = PlannedPerson(
        given=Name(given, given),
        family=Name(family, family),
        sex=sex,
        age=age,
        date_of_birth=birth_date_for_age(rng, age, today),
        birth_given="date",
        estimated_age=age,
        nationality=nationality,
        languages=(),
        place_of_birth=place,
    )
    passport = build_td3(
        issuing_state=nationality,
        surname=family,
        given_names=given,
        document_number=f"{nationality[0]}{rng.randint(10_000_000, 99_999_999)}",
        nationality=nationality,
        date_of_birth=person.date_of_birth,
        sex=sex.value,
        date_of_expiry=today + timedelta(days=rng.randint(200, 3000)),
    )
    document = PlannedDocument(DocumentKind.PASSPORT, passport, False, DocumentCondition.VALID)
    return PlannedIndividual(at=at, person=replace(person, documents=(document,)))


def demo_days(now: datetime) -> tuple[date, date, date]:
    today = now.date()
    return today - timedelta(days=2), today - timedelta(days=1), today


def demo_plan(*, seed: int, now: datetime, scale: float = 1.0) -> DemoPlan:
    """The whole emergency, drawn from ``seed``. ``now`` is aware, in the crossing point's zone;
    ``scale`` multiplies every number of people (1.0 gives about 2,600-3,900 arrivals, more the
    later in the day ``now`` falls)."""
    if now.tzinfo is None or not isinstance(now.tzinfo, ZoneInfo):
        raise ValueError("now must be aware, in the crossing point's ZoneInfo time zone")
    rng = random.Random(seed)
    zone = now.tzinfo
    days = demo_days(now)
    capacity = GROUP_LANE_CAPACITY * scale
    total_weight = sum(HOUR_WEIGHTS)
    counts: list[PlannedCount] = []
    groups: list[PlannedGroup] = []
    used_tokens: set[str] = set()
    carry = 0.0
    for day, day_total in zip(days, DAY_ARRIVALS, strict=True):
        for start, end, share in _hour_windows(day, zone, now):
            expected = day_total * scale * HOUR_WEIGHTS[start.hour] / total_weight * share + carry
            people = int(expected)
            carry = expected - people
            counted = round(max(0.0, people - capacity * share) * COUNTED_SHARE_OF_EXCESS)
            counts.extend(_hour_counts(rng, counted, start, end))
            groups.extend(_hour_groups(rng, people - counted, start, end, now, used_tokens))
    children = [
        _unaccompanied_child(rng, _moment(rng, *_weighted_window(rng, days, zone, now)), now.date())
        for _ in range(max(1, round(UNACCOMPANIED_CHILDREN * scale)))
    ]
    travellers = [
        _airport_traveller(rng, i, _moment(rng, *_weighted_window(rng, days[2:], zone, now)), now.date())
        for i in range(max(1, round(AIRPORT_TRAVELLERS * scale)))
    ]
    # The parents' names come from a generator of their own: every other draw stays as it was.
    parents = parents_rng(seed)
    with_parents = tuple(_with_parents(parents, g) for g in sorted(groups, key=lambda g: g.at))
    return DemoPlan(
        days=days,
        counts=tuple(sorted(counts, key=lambda c: c.at)),
        groups=with_parents,
        unaccompanied_children=tuple(
            _alone_with_parents(parents, c) for c in sorted(children, key=lambda c: c.at)
        ),
        # Their passports name no parents, and nobody at the airport asks.
        airport_travellers=tuple(sorted(travellers, key=lambda c: c.at)),
        registered_again=registered_again(random.Random(f"again-{seed}"), with_parents, now, scale),
    )


def registered_again(
    rng: random.Random, groups: tuple[PlannedGroup, ...], now: datetime, scale: float
) -> tuple[PlannedIndividual, ...]:
    """Adults of registered Afghan, Syrian and Eritrean groups who come back to the crossing one to
    six hours after their group was registered and are registered again, alone: no papers (the
    group keeps them), the birth year only where a date was given, the given name or the family
    name spelt another way (MOHAMMAD, MOHAMMED). A generator of their own keeps every other draw."""
    adults = [
        (group.registered_from, member)
        for group in groups
        if group.registered_from is not None and group.nationality in ("AFG", "SYR", "ERI")
        for member in group.members
        if not member.is_child
    ]
    chosen = rng.sample(adults, min(len(adults), max(1, round(REGISTERED_AGAIN * scale))))
    again = []
    for registered, person in chosen:
        at = registered + timedelta(hours=rng.uniform(1, 6))
        if at >= now:
            continue
        given, family = person.given, person.family
        if rng.random() < 0.5 or not family.latin:
            given = Name(given.original, latin_variant(given.latin, rng).title())
        else:
            family = Name(family.original, latin_variant(family.latin, rng).title())
        person = replace(
            person,
            given=given,
            family=family,
            documents=(),
            relationship=None,
            specific_needs=(),
            birth_given="year" if person.birth_given == "date" else person.birth_given,
        )
        again.append(PlannedIndividual(at=at, person=person))
    return tuple(sorted(again, key=lambda individual: individual.at))


def _with_parents(rng: random.Random, group: PlannedGroup) -> PlannedGroup:
    given = group_parents(rng, group.nationality, group.members)
    members = tuple(
        replace(member, father_name=parents.father, mother_name=parents.mother)
        for member, parents in zip(group.members, given, strict=True)
    )
    return replace(group, members=members)


def _alone_with_parents(rng: random.Random, individual: PlannedIndividual) -> PlannedIndividual:
    person = individual.person
    parents = alone_parents(rng, person.nationality, person)
    return replace(individual, person=replace(person, father_name=parents.father, mother_name=parents.mother))


def _weighted_window(
    rng: random.Random, days: tuple[date, ...], zone: ZoneInfo, now: datetime
) -> tuple[datetime, datetime]:
    """An hour window drawn with the arrival pattern's weights."""
    windows = [w for day in days for w in _hour_windows(day, zone, now)]
    if not windows:  # just after midnight today has no hour yet: take yesterday's
        windows = _hour_windows(days[0] - timedelta(days=1), zone, now)
    weights = [HOUR_WEIGHTS[start.hour] * share for start, _, share in windows]
    start, end, _ = rng.choices(windows, weights=weights)[0]
    return start, end
