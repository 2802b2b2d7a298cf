"""A synthetic arrival population with ground truth, for measuring de-duplication.

``population(n, seed=…, duplicate_rate=…)`` returns ``n`` :class:`~hbm.engines.matching.MatchRecord`
registrations and, for each, the id of the person it truly is. What makes it hard, as in the field:

* **Names** per nationality (:mod:`hbm.engines.synthetic._pools`): Ukrainian and Russian in
  Cyrillic, Syrian and Afghan in Arabic script, Eritrean in Ge'ez, Indian and Nigerian in Latin;
  frequent names drawn more often (Zipf; Ukrainian family names by published counts with a long
  tail), so **namesakes** — different people with one name — are common (and more so among
  Afghans, half of whose exact birth dates are 1 January, as on many Afghan documents). Syrians
  and Afghans often add the father's name; Eritreans have no family name (the second name is the
  father's given name).
* **Families** travel and register together (a group id, shared family name, the given names of
  the others as ``relatives``); singles travel alone.
* **Every registration** (first or repeated) is written down with the variation officers produce:
  another transliteration (Cyrillic letter by letter; Latin by the names engine's variant table or
  by one spelling rule), Arabic particles written another way, a typo (keyboard-adjacent letter,
  dropped, doubled, swapped letters), given name and surname swapped, the father's name left out,
  the name in its own script recorded or not; a birth date missing, year-only, re-estimated from
  the person's looks, one year off, day and month swapped; place of birth missing or spelt
  another way. Rates: :data:`VARIATION`.
* **Parents' names** (:data:`PARENTS_RECORDED`): each registration records the father's and the
  mother's given name with a share per nationality, spelt with the same variation as the
  person's own names (and, rarely, another name given for the parent). Children of one family
  share them. Drawn from a stream of their own, so every other field of a population is the same
  whatever the shares (``parents=0`` gives the population without them).
* **Identity documents** (:data:`DOCUMENTS_HELD`): each adult holds a passport and/or a national
  identity card with a share per nationality (sourced where a figure was found, stated otherwise);
  children hold one half as often and, where they hold none, are sometimes inscribed in the
  passport of the parent they travel with; a family's passports are often numbered one after the
  other. Each registration shows each document held with :data:`DOCUMENT_SHOWN`; a passport's
  number is read from its machine-readable zone or typed, and a typed number sometimes has a
  slip. Drawn from a stream of their own: ``documents=0`` gives the population without them and
  every other field the same.
* **Duplicates**: each travelling group registers again, at another crossing point, with
  probability ``duplicate_rate`` (each member of a group with probability 0.9), and 10 % of
  those a third time.

Deterministic for a given ``seed`` (Python's ``random.Random``: the generator draws several
million scalars, where NumPy's per-call overhead would dominate). A million records take about
15 s on one core.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from hbm.engines.matching import BirthAccuracy, IdDocument, MatchRecord
from hbm.engines.synthetic._pools import NATIONALITY_SHARES, POOLS, ZIPF, Name, Pool
from hbm.engines.synthetic._spelling import cyrillic_to_latin, latin_variant, particle_variant, typo

__all__ = [
    "DOCUMENTS_HELD",
    "DOCUMENT_SHOWN",
    "PARENTS_RECORDED",
    "REFERENCE_DATE",
    "VARIATION",
    "Population",
    "latin_variant",
    "population",
]

REFERENCE_DATE: Final = date(2024, 6, 1)
CROSSING_POINTS: Final = tuple(f"BCP-{i:02d}" for i in range(1, 9))

# Per-registration probabilities of each kind of variation (see the module docstring).
VARIATION: Final = {
    "spelling": 0.30,  # a name part spelt another way
    "particle": 0.40,  # an Arabic particle written another way, where there is one
    "typo": 0.05,  # per name field
    "swap": 0.03,  # given name and surname swapped
    "original_script": 0.50,  # the name recorded in its own script too
    "dob_missing": 0.02,
    "dob_year_only": 0.03,
    "dob_estimated": 0.02,
    "dob_year_off": 0.02,
    "dob_day_month_swapped": 0.015,
    "place_missing": 0.20,
    "place_spelling": 0.30,
    "nationality_missing": 0.01,
    "sex_missing": 0.003,
}
# How well each nationality's people know their exact birth date: (exact, year only, estimated).
BIRTH_KNOWLEDGE: Final = {
    "UKR": (0.95, 0.02, 0.03),
    "XXA": (0.70, 0.15, 0.15),
    "SYR": (0.70, 0.15, 0.15),
    "AFG": (0.50, 0.25, 0.25),
    "ERI": (0.60, 0.20, 0.20),
    "IND": (0.90, 0.05, 0.05),
    "NGA": (0.80, 0.10, 0.10),
}
AFGHAN_FIRST_JANUARY: Final = 0.5
# How often a registration records the father's and the mother's name, per nationality. These are
# the generator's assumptions, not measurements (no published figure was found): high where
# identity papers carry the parents' names — Afghan tazkiras the father's and grandfather's,
# Syrian identity cards the father's and the mother's; lower for the mother's name of Afghans,
# whose mothers' names were not even on their children's papers before a 2020 law; lower where
# they are asked only for tracing (Ukrainians, Nigerians). ``population(parents=…)`` scales them.
PARENTS_RECORDED: Final = {
    "UKR": (0.40, 0.20),
    "XXA": (0.40, 0.20),
    "SYR": (0.70, 0.50),
    "AFG": (0.70, 0.15),
    "ERI": (0.60, 0.40),
    "IND": (0.50, 0.30),
    "NGA": (0.40, 0.30),
}
PARENT_NAME_OTHER: Final = 0.02  # another name given for the parent (a nickname, a step-parent)
# Which adults hold an identity document, per nationality: (any document, a passport among them).
# Any document — the share of adult asylum applicants in Germany who presented identity papers,
# first half of 2018 or 2019 (Federal Interior Ministry's answer to a parliamentary question,
# reported by dpa: without papers Syrians 21 %, Afghans 88 %, Eritreans 89 %, Nigerians 97–99 %).
# Those are figures at asylum application, after the journey: a proxy for what a border sees.
# Ukrainians: no figure for 2022 arrivals was found; every adult Ukrainian must hold an internal
# passport or identity card, the Polish Border Guard said most who crossed had documents, and in a
# 2017 national survey 34 % of adults held a passport for travel abroad (Democratic Initiatives
# and Razumkov Centre) — 0.90 and 0.34 here. Indians on the Balkan route flew to Belgrade on
# their passports (visa-free until 2023); how many still show one is not published — 0.6 here, a
# stated assumption, as is 0.05 for stateless people. Passports among Syrian, Afghan, Eritrean
# and Nigerian holders: not published; a half (Syrians) and a third (the others, whose commonest
# document is the national card: the Afghan tazkira) here. Sources: docs/decisions/0026.
DOCUMENTS_HELD: Final = {
    "UKR": (0.90, 0.34),
    "XXA": (0.05, 0.02),
    "SYR": (0.79, 0.40),
    "AFG": (0.12, 0.04),
    "ERI": (0.11, 0.04),
    "IND": (0.60, 0.60),
    "NGA": (0.02, 0.01),
}
DOCUMENT_SHOWN: Final = 0.85  # each document held, at each registration (stated assumption)
CHILD_DOCUMENT_SHARE: Final = 0.5  # children hold documents this much as often as adults
CHILD_IN_PARENT_PASSPORT: Final = 0.2  # a child without a document, in the passport of a parent
FAMILY_PASSPORTS_IN_SERIES: Final = 0.5  # a family's passports numbered one after the other
MRZ_READ: Final = 0.5  # a passport's number read from its machine-readable zone, not typed
# A typed number with a slip: research data-entry error rates "typically range from 0.55 % to
# 3.6 %" per field (Barchard et al., Behavior Research Methods 51, 2019).
NUMBER_SLIP: Final = 0.02


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    pool: Pool
    sex: str
    given: Name
    father: Name
    mother: Name
    surname: Name
    birth_date: date
    knowledge: BirthAccuracy
    place: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Population:
    """Records (ids 0…n-1, in random order) and the true person of each (``person_ids[i]`` for
    ``records[i]``). ``on`` is the date ages are counted at."""

    records: tuple[MatchRecord, ...]
    person_ids: npt.NDArray[np.int64]
    seed: int
    duplicate_rate: float
    on: date = REFERENCE_DATE
    stats: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)

    def clusters(self) -> list[list[int]]:
        """Positions of the records of each person who registered more than once."""
        order = np.argsort(self.person_ids, kind="stable")
        ids = self.person_ids[order]
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        groups = np.split(order, starts[1:])
        return [group.tolist() for group in groups if len(group) > 1]


def _cumulative(count: int, weights: Sequence[float] = ()) -> list[float]:
    """Cumulative weights of ``count`` names: ``weights`` where given, else Zipf by rank."""
    if weights:
        if len(weights) != count:
            raise ValueError(f"{count} names but {len(weights)} weights")
        return list(itertools.accumulate(weights))
    return list(itertools.accumulate(1.0 / (rank + 1) ** ZIPF for rank in range(count)))


class _Generator:
    def __init__(
        self, seed: int, duplicate_rate: float, on: date, parents: float = 1.0, documents: float = 1.0
    ) -> None:
        self.rng = random.Random(seed)
        # Documents held and shown come from a stream of their own too.
        self.documents_rng = random.Random(f"documents-{seed}")
        self.documents = documents
        self.held: dict[int, tuple[IdDocument, ...]] = {}
        # Mothers' names and what is recorded of parents come from a stream of their own (see the
        # module docstring).
        self.parents_rng = random.Random(f"parents-{seed}")
        self.parents = parents
        self.duplicate_rate = duplicate_rate
        self.on = on
        self.people = 0
        self.groups = 0
        self.nationalities = list(NATIONALITY_SHARES)
        self.nationality_weights = list(itertools.accumulate(NATIONALITY_SHARES.values()))
        self.cumulative = {
            (code, kind): _cumulative(len(names), weights)
            for code, pool in POOLS.items()
            for kind, names, weights in (
                ("M", pool.male, ()),
                ("F", pool.female, ()),
                ("family", pool.family_male, pool.family_weights),
            )
        }

    # --- people --------------------------------------------------------------------------------

    def _pick(self, code: str, kind: str, names: Sequence[Name]) -> int:
        return self.rng.choices(range(len(names)), cum_weights=self.cumulative[code, kind])[0]

    def _birth(self, pool: Pool, age: int) -> tuple[date, BirthAccuracy]:
        rng = self.rng
        exact, year_only, _ = BIRTH_KNOWLEDGE[pool.nationality]
        roll = rng.random()
        knowledge = (
            BirthAccuracy.EXACT
            if roll < exact
            else BirthAccuracy.YEAR
            if roll < exact + year_only
            else BirthAccuracy.ESTIMATED
        )
        born = self.on - timedelta(days=age * 365 + rng.randrange(365))
        if (
            pool.nationality == "AFG"
            and knowledge is BirthAccuracy.EXACT
            and rng.random() < AFGHAN_FIRST_JANUARY
        ):
            born = date(born.year, 1, 1)
        return born, knowledge

    def _mother(self, pool: Pool) -> Name:
        """A mother's given name, from the parents' own stream."""
        cumulative = self.cumulative[pool.nationality, "F"]
        return pool.female[self.parents_rng.choices(range(len(pool.female)), cum_weights=cumulative)[0]]

    def person(
        self,
        pool: Pool,
        sex: str,
        age: int,
        family: int | None,
        father: Name | None,
        taken: Sequence[_Person] = (),
        mother: Name | None = None,
    ) -> _Person:
        rng = self.rng
        code = pool.nationality
        names = pool.male if sex == "M" else pool.female
        given = names[self._pick(code, sex, names)]
        while any(other.given == given for other in taken):  # no two of one family share a name
            given = rng.choice(names)
        father = father or pool.male[self._pick(code, "M", pool.male)]
        mother = mother or self._mother(pool)
        if pool.naming == "father":
            surname = father
        else:
            index = family if family is not None else self._pick(code, "family", pool.family_male)
            surname = (
                (pool.family_female or pool.family_male)[index] if sex == "F" else pool.family_male[index]
            )
        born, knowledge = self._birth(pool, age)
        place = rng.choice(pool.places) if rng.random() < 0.95 else None
        self.people += 1
        return _Person(self.people, pool, sex, given, father, mother, surname, born, knowledge, place)

    def group(self) -> list[_Person]:
        rng = self.rng
        code = rng.choices(self.nationalities, cum_weights=self.nationality_weights)[0]
        pool = POOLS[code]
        family = self._pick(code, "family", pool.family_male)
        kind = rng.random()
        if kind < 0.40:
            sex = "M" if rng.random() < 0.6 else "F"
            return [self.person(pool, sex, int(rng.triangular(18, 75, 28)), None, None)]
        if kind < 0.92:
            parent_age = rng.randint(22, 50)
            members: list[_Person] = []
            husband = pool.male[self._pick(code, "M", pool.male)]
            wife: Name | None = None  # drawn with the children when she does not travel
            if kind < 0.70:  # a mother (or, one time in five, a father) with children
                sex = "F" if rng.random() < 0.8 else "M"
                if sex == "F":
                    wife_family = family if not pool.spouse_keeps_family_name else None
                    members.append(self.person(pool, "F", parent_age, wife_family, None))
                    wife = members[0].given
                else:
                    members.append(self.person(pool, "M", parent_age, family, None))
                    husband = members[0].given
            else:  # a couple, with or without children
                father = self.person(pool, "M", parent_age + rng.randint(0, 6), family, None)
                husband = father.given
                wife_family = family if not pool.spouse_keeps_family_name else None
                members += [father, self.person(pool, "F", parent_age, wife_family, None, [father])]
                wife = members[1].given
            wife = wife or self._mother(pool)
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4)) if kind >= 0.70 else rng.randint(1, 4)):
                child_age = rng.randint(0, min(17, parent_age - 18))
                members.append(self.person(pool, rng.choice("MF"), child_age, family, husband, members, wife))
            return members
        adult = self.person(pool, "F" if rng.random() < 0.5 else "M", rng.randint(30, 55), family, None)
        elder = self.person(
            pool, "F" if rng.random() < 0.6 else "M", rng.randint(60, 88), family, None, [adult]
        )
        return [adult, elder]

    def documents_hold(self, people: Sequence[_Person]) -> None:
        """Draw the documents ``people`` (one travelling group) hold (see the module docstring)."""
        rng = self.documents_rng
        series: int | None = None
        passport: IdDocument | None = None  # the first adult's, for children inscribed in it
        for person in people:
            code = person.pool.nationality
            any_share, passport_share = DOCUMENTS_HELD[code]
            adult = self.on.year - person.birth_date.year >= 18
            scale = self.documents * (1.0 if adult else CHILD_DOCUMENT_SHARE)
            held: list[IdDocument] = []
            if rng.random() < any_share * scale:
                if rng.random() < passport_share / any_share:
                    if series is None or rng.random() >= FAMILY_PASSPORTS_IN_SERIES:
                        series = rng.randrange(1_000_000, 9_000_000)
                    else:
                        series += 1
                    held.append(IdDocument("passport", code, f"{_letters(rng)}{series}"))
                if not held or rng.random() < 0.5:
                    held.append(IdDocument("identity_card", code, f"{rng.randrange(10**8, 10**9)}"))
            elif not adult and passport is not None and rng.random() < CHILD_IN_PARENT_PASSPORT:
                held.append(passport)
            if adult and passport is None:
                passport = next((d for d in held if d.kind == "passport"), None)
            self.held[person.id] = tuple(held)

    def _shown(self, person: _Person) -> tuple[IdDocument, ...]:
        """The documents one registration of ``person`` records, numbers as read or typed."""
        rng = self.documents_rng
        shown = []
        for document in self.held.get(person.id, ()):
            if rng.random() >= DOCUMENT_SHOWN:
                continue
            typed = document.kind != "passport" or rng.random() >= MRZ_READ
            if typed and rng.random() < NUMBER_SLIP:
                document = IdDocument(document.kind, document.state, _number_slip(document.number, rng))
            shown.append(document)
        return tuple(shown)

    # --- registrations -------------------------------------------------------------------------

    def _latin(self, pool: Pool, name: Name, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        if pool.script == "cyrillic":
            assert pool.language is not None
            if rng.random() < VARIATION["spelling"]:
                if rng.random() < 0.25:
                    return latin_variant(
                        cyrillic_to_latin(name.original, pool.language), rng, table_share=1.0
                    )
                return cyrillic_to_latin(name.original, pool.language, rng, share=0.5)
            return cyrillic_to_latin(name.original, pool.language)
        latin = name.latin.upper()
        if pool.script == "latin":  # spelt in Latin letters at home: only the variant table varies
            if rng.random() < VARIATION["spelling"] / 3:
                return latin_variant(latin, rng, table_share=1.0)
            return latin
        if rng.random() < VARIATION["particle"] and (" " in latin or "-" in latin or latin.startswith("AB")):
            latin = particle_variant(latin, rng)
        if rng.random() < VARIATION["spelling"]:
            words = latin.split(" ")
            at = rng.randrange(len(words))
            words[at] = latin_variant(words[at], rng)
            latin = " ".join(words)
        return latin

    def _birth_record(self, person: _Person) -> tuple[date | None, BirthAccuracy]:
        rng = self.rng
        born = person.birth_date
        roll = rng.random()
        if roll < VARIATION["dob_missing"]:
            return None, BirthAccuracy.EXACT
        if person.knowledge is BirthAccuracy.ESTIMATED or (
            person.knowledge is BirthAccuracy.EXACT
            and roll < VARIATION["dob_missing"] + VARIATION["dob_estimated"]
        ):
            age = self.on.year - born.year
            spread = 1.0 if age < 12 else 1.5 if age < 18 else 2.5 if age < 50 else 4.0
            estimate = max(0, age + round(rng.gauss(0, spread)))
            return date(self.on.year - estimate, 1, 1), BirthAccuracy.ESTIMATED
        if person.knowledge is BirthAccuracy.YEAR or roll < 0.07:
            return date(born.year, 1, 1), BirthAccuracy.YEAR
        roll = rng.random()
        if roll < VARIATION["dob_year_off"]:
            shifted = born.year + rng.choice((-1, 1))
            return born.replace(year=shifted, day=min(born.day, 28)), BirthAccuracy.EXACT
        if roll < VARIATION["dob_year_off"] + VARIATION["dob_day_month_swapped"] and born.day <= 12:
            return date(born.year, born.day, born.month), BirthAccuracy.EXACT
        return born, BirthAccuracy.EXACT

    def registration(
        self, people: list[_Person], crossing_point: str, out: list[tuple[int, MatchRecord]]
    ) -> None:
        rng = self.rng
        group_id = ""
        if len(people) > 1:
            self.groups += 1
            group_id = f"G{self.groups}"
        rendered = []
        for person in people:
            pool = person.pool
            given = self._latin(pool, person.given)
            original_given = person.given.original
            if pool.middle_name_share and rng.random() < pool.middle_name_share:
                given = f"{given} {self._latin(pool, person.father)}"
                original_given = f"{original_given} {person.father.original}"
            surname = self._latin(pool, person.surname)
            if rng.random() < VARIATION["typo"]:
                given = typo(given, rng)
            if rng.random() < VARIATION["typo"]:
                surname = typo(surname, rng)
            if rng.random() < VARIATION["swap"]:
                given, surname = surname, given
            rendered.append((person, given, surname, original_given))
        for person, given, surname, original_given in rendered:
            pool = person.pool
            original = ""
            if pool.script != "latin" and rng.random() < VARIATION["original_script"]:
                original = f"{original_given} {person.surname.original}"
            born, accuracy = self._birth_record(person)
            place = ""
            if person.place is not None and rng.random() >= VARIATION["place_missing"]:
                place = (
                    rng.choice(person.place[1:])
                    if rng.random() < VARIATION["place_spelling"]
                    else person.place[0]
                )
            nationality = pool.nationality
            if rng.random() < VARIATION["nationality_missing"]:
                nationality = ""
            sex = person.sex if rng.random() >= VARIATION["sex_missing"] else ""
            father, mother = self._parents(person)
            relatives = (
                frozenset(g for other, g, _, _ in rendered if other is not person)
                if group_id
                else frozenset()
            )
            record = MatchRecord(
                id=0,
                given=given,
                surname=surname,
                original=original,
                language=pool.language,
                sex=sex,
                birth_date=born,
                birth_accuracy=accuracy,
                nationality=nationality,
                place_of_birth=place,
                family=frozenset((group_id,)) if group_id else frozenset(),
                relatives=relatives,
                father=father,
                mother=mother,
                documents=self._shown(person),
                crossing_point=crossing_point,
            )
            out.append((person.id, record))

    def _parents(self, person: _Person) -> tuple[str, str]:
        """The father's and mother's names as this registration records them, or ``""``."""
        rng, pool = self.parents_rng, person.pool
        recorded = PARENTS_RECORDED[pool.nationality]
        names = []
        parents = ((person.father, pool.male), (person.mother, pool.female))
        for share, (name, pool_names) in zip(recorded, parents, strict=True):
            if rng.random() >= share * self.parents:
                names.append("")
                continue
            if rng.random() < PARENT_NAME_OTHER:
                name = rng.choice(pool_names)
            written = self._latin(pool, name, rng)
            names.append(typo(written, rng) if rng.random() < VARIATION["typo"] else written)
        return names[0], names[1]


def _letters(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))


def _number_slip(number: str, rng: random.Random) -> str:
    """``number`` with one typing slip: a digit changed, dropped or doubled, or two swapped."""
    at = rng.randrange(len(number))
    roll = rng.random()
    if roll < 0.5:
        return number[:at] + rng.choice("0123456789".replace(number[at], "")) + number[at + 1 :]
    if roll < 0.7:
        return number[:at] + number[at + 1 :]
    if roll < 0.85 or at + 1 == len(number):
        return number[:at] + number[at] + number[at:]
    return number[:at] + number[at + 1] + number[at] + number[at + 2 :]


def population(
    n: int,
    seed: int = 0,
    duplicate_rate: float = 0.1,
    *,
    on: date = REFERENCE_DATE,
    parents: float = 1.0,
    documents: float = 1.0,
) -> Population:
    """``n`` registrations of a synthetic arrival population (see the module docstring), their
    true person ids, and counts in ``stats`` (people, groups, duplicate records, namesake pairs are
    not counted: compute them from the records when needed). ``parents`` scales how often the
    parents' names are recorded (:data:`PARENTS_RECORDED`; 0: never) and ``documents`` how often
    identity documents are held (:data:`DOCUMENTS_HELD`; 0: never); nothing else depends on them."""
    if n < 0 or not 0 <= duplicate_rate <= 1:
        raise ValueError("n must be ≥ 0 and duplicate_rate in [0, 1]")
    if not 0 <= parents <= 1 / max(max(PARENTS_RECORDED.values(), key=max)):
        raise ValueError("parents must be ≥ 0 and keep every share of PARENTS_RECORDED ≤ 1")
    if not 0 <= documents <= 1 / max(share for share, _ in DOCUMENTS_HELD.values()):
        raise ValueError("documents must be ≥ 0 and keep every share of DOCUMENTS_HELD ≤ 1")
    generator = _Generator(seed, duplicate_rate, on, parents, documents)
    rng = generator.rng
    made: list[tuple[int, MatchRecord]] = []
    while len(made) < n:
        people = generator.group()
        generator.documents_hold(people)
        crossing = rng.choice(CROSSING_POINTS)
        generator.registration(people, crossing, made)
        if rng.random() < duplicate_rate:
            for _ in range(2 if rng.random() < 0.1 else 1):
                again = [p for p in people if len(people) == 1 or rng.random() < 0.9]
                if again:
                    other = rng.choice(CROSSING_POINTS) if rng.random() < 0.85 else crossing
                    generator.registration(again, other, made)
    del made[n:]
    order = list(range(len(made)))
    rng.shuffle(order)
    records = []
    person_ids = np.empty(len(made), dtype=np.int64)
    for position, index in enumerate(order):
        person_id, record = made[index]
        person_ids[position] = person_id
        records.append(_with_id(record, position))
    people_count = len(np.unique(person_ids))
    return Population(
        records=tuple(records),
        person_ids=person_ids,
        seed=seed,
        duplicate_rate=duplicate_rate,
        on=on,
        stats={
            "records": len(records),
            "people": people_count,
            "duplicate_records": len(records) - people_count,
        },
    )


def _with_id(record: MatchRecord, record_id: int) -> MatchRecord:
    return MatchRecord(
        id=record_id,
        given=record.given,
        surname=record.surname,
        original=record.original,
        language=record.language,
        sex=record.sex,
        birth_date=record.birth_date,
        birth_accuracy=record.birth_accuracy,
        nationality=record.nationality,
        place_of_birth=record.place_of_birth,
        family=record.family,
        relatives=record.relatives,
        father=record.father,
        mother=record.mother,
        documents=record.documents,
        crossing_point=record.crossing_point,
    )
