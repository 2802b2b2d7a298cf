"""The parents' names the demo's arrivals give, consistent within each family. Pure, no database.

They are drawn after the rest of the plan, from a generator of their own (seeded from the plan's
seed), so that adding them changed no other draw: the same seed still gives the same arrivals,
documents and needs, and now the same parents' names too.

A name is written first name first, as an officer types what the person says, in Latin letters.
Syrian and Afghan papers give the father by his first name alone (the family name is the person's
own); elsewhere, and for mothers everywhere, the first name and the family name — for Eritreans,
who have none, the first name and the second (the person's own second name is the father's
first). Children of one
head of group share their father's and their mother's names (the head, the head's spouse, or one
drawn parent who is not in the group); the head and the head's brothers and sisters share theirs
(a parent who travels with them, or one drawn).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from hbm.demo.names import NAME_POOLS, Name, NamePool
from hbm.registration.enums import Relationship, Sex

# Of the people asked, how many give each parent's name: most know their father's name (it is on
# most papers of the region); the mother's is given less often.
FATHER_NAME_SHARE = 0.85
MOTHER_NAME_SHARE = 0.5
# Nationalities whose papers give the father's first name alone.
FATHER_BY_FIRST_NAME = frozenset({"SYR", "AFG"})
# Parents of adults are of the grandparents' generation; parents of children, of the adults'.
_ELDER_AGE = 60
_ADULT_AGE = 35


@dataclass(frozen=True, slots=True)
class Parents:
    """The names of one person's father and mother, before it is drawn whether they are given."""

    father: str
    mother: str


def parents_rng(seed: int) -> random.Random:
    """The generator of the parents' names of the plan drawn from ``seed``: its own stream."""
    return random.Random(f"{seed}:parents")


def _full(given: Name, family: Name) -> str:
    return f"{given.latin} {family.latin}"


def _male_form(pool: NamePool, family: Name) -> Name:
    """The male form of a family name (a child's, a wife's): what the father's name carries."""
    for name in pool.family:
        if family in (name.male, name.female):
            return name.male
    return family


def _female_form(pool: NamePool, family: Name) -> Name:
    for name in pool.family:
        if family in (name.male, name.female):
            return name.female
    return family


def _father_named(nationality: str, given: Name, family: Name) -> str:
    return given.latin if nationality in FATHER_BY_FIRST_NAME else _full(given, family)


def drawn_parents(
    rng: random.Random,
    pool: NamePool,
    nationality: str,
    family: Name,
    *,
    age: int,
    takes_husbands_name: bool,
    father_family: Name | None = None,
) -> Parents:
    """Parents not in the group. ``family`` is the person's family name; ``takes_husbands_name``: a
    married woman whose family name is her husband's, so her father's is another one;
    ``father_family``: the father's, when it is known (he travels with the group)."""
    generation = _ELDER_AGE if age >= 18 else _ADULT_AGE
    if pool.second_name_is_fathers:
        # The person's second name is the father's given name; his own second name, his father's.
        grandfather = father_family or pool.family_name(rng).male
        while grandfather == family and len(pool.family) > 1:  # nobody is named after himself twice
            grandfather = pool.family_name(rng).male
        mothers = _full(pool.given(rng, Sex.FEMALE, generation), pool.family_name(rng).female)
        return Parents(_full(family, grandfather), mothers)
    drawn_family = pool.family_name(rng).male if takes_husbands_name else _male_form(pool, family)
    father_family = father_family or drawn_family
    father = pool.given(rng, Sex.MALE, generation)
    mother = pool.given(rng, Sex.FEMALE, generation)
    mother_family = (
        pool.family_name(rng).female if pool.spouse_keeps_family_name else _female_form(pool, father_family)
    )
    return Parents(_father_named(nationality, father, father_family), _full(mother, mother_family))


def _given_or_not(rng: random.Random, parents: Parents, father_share: float, mother_share: float) -> Parents:
    """What the person gives: each name with its share (drawn in a fixed order, for reproducibility)."""
    father = parents.father if rng.random() < father_share else ""
    mother = parents.mother if rng.random() < mother_share else ""
    return Parents(father, mother)


class Member(Protocol):
    """What the parents' names of a member of a group depend on (a planned person)."""

    @property
    def given(self) -> Name: ...
    @property
    def family(self) -> Name: ...
    @property
    def sex(self) -> Sex: ...
    @property
    def age(self) -> int: ...
    @property
    def relationship(self) -> Relationship | None: ...


def _father_of(nationality: str, member: Member | None, drawn: str) -> str:
    return _father_named(nationality, member.given, member.family) if member else drawn


def _mother_of(member: Member | None, drawn: str) -> str:
    return _full(member.given, member.family) if member else drawn


def _first(members: Sequence[Member], relationship: Relationship, sex: Sex) -> Member | None:
    return next((m for m in members if m.relationship == relationship and m.sex == sex), None)


def group_parents(rng: random.Random, nationality: str, members: Sequence[Member]) -> list[Parents]:
    """The parents' names each member of a group gives (head first; ``""``: not given)."""
    pool = NAME_POOLS[nationality]
    head = members[0]
    relationships = {m.relationship for m in members}
    married = bool(relationships & {Relationship.SPOUSE, Relationship.CHILD})
    head_takes = head.sex == Sex.FEMALE and married and not pool.spouse_keeps_family_name
    # The head's father or mother may travel with the group (a grandparent of the children).
    elder_father = _first(members, Relationship.PARENT, Sex.MALE)
    drawn = drawn_parents(
        rng,
        pool,
        nationality,
        head.family,
        age=head.age,
        takes_husbands_name=head_takes,
        father_family=elder_father.family if elder_father else None,
    )
    of_head = Parents(
        _father_of(nationality, elder_father, drawn.father),
        _mother_of(_first(members, Relationship.PARENT, Sex.FEMALE), drawn.mother),
    )
    shared = {Relationship.HEAD: of_head, Relationship.SIBLING: of_head}
    for relationship in (Relationship.CHILD, Relationship.GRANDCHILD):
        child = next((m for m in members if m.relationship == relationship), None)
        if child is None:
            continue
        drawn = drawn_parents(rng, pool, nationality, child.family, age=child.age, takes_husbands_name=False)
        if relationship == Relationship.CHILD:
            # The head's children: the head and the head's spouse are their parents.
            father = head if head.sex == Sex.MALE else _first(members, Relationship.SPOUSE, Sex.MALE)
            mother = head if head.sex == Sex.FEMALE else _first(members, Relationship.SPOUSE, Sex.FEMALE)
            drawn = Parents(_father_of(nationality, father, drawn.father), _mother_of(mother, drawn.mother))
        shared[relationship] = drawn
    given = []
    for member in members:
        parents = shared.get(member.relationship) if member.relationship else None
        if parents is None:  # a spouse, a grandparent, a companion: parents of their own
            takes = (
                member.relationship == Relationship.SPOUSE
                and member.sex == Sex.FEMALE
                and not pool.spouse_keeps_family_name
            )
            parents = drawn_parents(
                rng, pool, nationality, member.family, age=member.age, takes_husbands_name=takes
            )
        given.append(_given_or_not(rng, parents, FATHER_NAME_SHARE, MOTHER_NAME_SHARE))
    return given


def alone_parents(rng: random.Random, nationality: str, member: Member) -> Parents:
    """The parents' names a person registered alone gives (an unaccompanied child)."""
    pool = NAME_POOLS[nationality]
    parents = drawn_parents(rng, pool, nationality, member.family, age=member.age, takes_husbands_name=False)
    return _given_or_not(rng, parents, FATHER_NAME_SHARE, MOTHER_NAME_SHARE)
