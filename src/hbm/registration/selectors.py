"""Reads of registration data. Reads of a person are audited; a refused read (of a person, or a
search refused for the role) is audited too.

``access_*`` answers "not found" whether the record is missing or not visible to the actor, so
nobody learns that a person exists at a crossing point they do not work at.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hbm.accounts.enums import Role
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import NotFound, PermissionDenied, ValidationFailed
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import crossing_points_of, sees_every_crossing_point
from hbm.engines.names import sound_query
from hbm.engines.tokens import TokenError, token_validate
from hbm.registration.enums import AgeBand, Sex, Tier
from hbm.registration.messages import token_error_text
from hbm.registration.models import CountCell, Encounter, Group, Person
from hbm.registration.search_index import persons_with_words
from hbm.registration.values import age_band_of, age_on, search_words

SEARCH_LIMIT = 50
PARENT_NAME_MIN_CHARACTERS = 2
# Who looks persons up at all; which persons each one finds is the posting rule below.
PERSON_READER_ROLES = (Role.BORDER_OFFICER, Role.SCREENING_OFFICER, Role.COORDINATOR)


def persons_visible_to(*, actor: Actor) -> QuerySet[Person]:
    """Every person the actor may see: met at a crossing point they are posted at (all for a
    coordinator). Not audited: callers audit what they show."""
    return _visible_persons(actor)


def person_visible_filter(*, actor: Actor, field: str = "person") -> Q:
    """A filter on rows of another table that keeps those whose person (``field``) the actor may
    see. Nothing is filtered for a coordinator, who sees every crossing point and so every person
    (each is registered at one); for others, one ``EXISTS`` per row: ``person IN (visible persons)``
    made SQLite walk every visible person however few rows there were (0.4 s for an empty table at
    123,000 persons; two such lists on one table, 3.8 s for 3,000 rows)."""
    if sees_every_crossing_point(user=actor.user):
        return Q()
    return Q(Exists(_visible_persons(actor).filter(pk=OuterRef(field))))


def _visible_persons(actor: Actor) -> QuerySet[Person]:
    points = crossing_points_of(user=actor.user)
    return Person.objects.filter(
        Q(registered_at__in=points) | Q(encounters__crossing_point__in=points)
    ).distinct()


@transaction.atomic
def _refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    audit_record(actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)})


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _token_of(raw: str) -> str:
    """The canonical token typed as ``raw``; a mistyped one is an error of the ``token`` field."""
    try:
        return token_validate(raw)
    except TokenError as exc:
        raise ValidationFailed.on("token", token_error_text(raw, exc)) from exc


def access_person(*, actor: Actor, person_id: object, purpose: str = "view") -> Person:
    """The person if the actor may see them (posted where they were met, or coordinator).

    Every successful read writes a ``person_viewed`` entry naming the purpose; every refused read an
    ``access_refused`` entry and nothing else.
    """
    key = _as_uuid(person_id)
    person = (
        None
        if key is None
        else (_visible_persons(actor).select_related("registered_at").filter(pk=key).first())
    )
    if person is None:
        _refusal_record(actor=actor, kind="person", record_id=person_id)
        raise NotFound(_("no such person"))
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEvent.PERSON_VIEWED, subject=person, detail={"purpose": purpose})
    return person


def access_group(*, actor: Actor, group_id: object = None, token: str = "") -> Group:
    """A group by id or token, if the actor works at its crossing point. A mistyped token raises
    :class:`ValidationFailed` on the ``token`` field (its check character fails), not 'not found'."""
    groups = Group.objects.filter(crossing_point__in=crossing_points_of(user=actor.user))
    if token:
        group = groups.filter(token=_token_of(token)).first()
    else:
        key = _as_uuid(group_id)
        group = None if key is None else groups.filter(pk=key).first()
    if group is None:
        _refusal_record(actor=actor, kind="group", record_id=group_id or token)
        raise NotFound(_("no such group"))
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEvent.GROUP_VIEWED, subject=group)
    return group


def group_members(*, group: Group) -> list[tuple[Person, str]]:
    """Members with their relationship to the head, head first. ``group`` from ``access_group``."""
    memberships = group.memberships.select_related("person").order_by("created_at")
    members = [(m.person, m.relationship) for m in memberships]
    return sorted(members, key=lambda pair: pair[1] != "head")


def person_encounters(*, person: Person) -> QuerySet[Encounter]:
    return person.encounters.select_related("crossing_point", "officer").order_by("-occurred_at")


def person_groups(*, person: Person) -> QuerySet[Group]:
    return Group.objects.filter(memberships__person=person)


def person_readers_check(*, actor: Actor) -> None:
    """Refuse a role that does not look persons up: :class:`PermissionDenied` and an
    ``access.refused`` entry (the search page, or a search, was asked for)."""
    if not actor.user.has_role(*PERSON_READER_ROLES):
        _refusal_record(actor=actor, kind="persons", record_id="search")
        raise PermissionDenied(_("your role does not look up persons"))


def _parent_words_of(raw: str) -> list[str]:
    """The words of the parent's name searched for (:func:`search_words`); none when none was given.
    A single letter (or only marks, which the fold drops) would match nearly every recorded parent:
    refused on the ``parent_name`` field."""
    words = search_words(raw)
    if raw.strip() and len("".join(words)) < PARENT_NAME_MIN_CHARACTERS:
        raise ValidationFailed.on(
            "parent_name",
            ngettext(
                "give at least %(count)s letter of the father's or the mother's name",
                "give at least %(count)s letters of the father's or the mother's name",
                PARENT_NAME_MIN_CHARACTERS,
            )
            % {"count": PARENT_NAME_MIN_CHARACTERS},
        )
    return words


def persons_search(
    *,
    actor: Actor,
    query: str = "",
    nationality: str = "",
    token: str = "",
    document_number: str = "",
    date_of_birth: date | None = None,
    parent_name: str = "",
    sounds_like: bool = False,
    limit: int = SEARCH_LIMIT,
) -> list[Person]:
    """Persons visible to the actor matching all given criteria; the search and its hits are audited.

    ``query`` is words (:func:`search_words`: any case, accents and vowel marks, Persian or Arabic
    keyboard; spaces, hyphens and apostrophes within a name ignored), each found inside the Latin
    names or those in the original script, in any order: 'olena koval' finds 'KOVALENKO, OLENA',
    'Abdulrahman' finds 'Abdul Rahman'; ``parent_name`` words found in the father's or the mother's
    name. Both read a trigram index (:mod:`hbm.registration.search_index`) over columns the
    services fold in Python, the same way on SQLite and PostgreSQL. With ``sounds_like``, persons
    whose names *sound like* the query are found too (:func:`hbm.engines.names.sound_query`: every
    part of the name typed has the key of one of theirs: 'Muhammad Yusuf' finds 'MOHAMED, YOUSSEF'
    and 'محمد'), and those whose father's or mother's name sounds like ``parent_name``; whole names,
    not fragments; :func:`person_words_found` tells them apart. Identity
    resolution (dates, places, family, biometrics) stays the de-duplication engine's job. A
    mistyped ``token`` raises :class:`ValidationFailed` on ``token``, a ``parent_name`` of fewer than
    :data:`PARENT_NAME_MIN_CHARACTERS` characters on ``parent_name``, before anything is read or
    audited; another role is refused as :func:`person_readers_check` refuses it.

    At most ``limit`` persons, ordered by name; those found by their written names first when more
    match. When more match, which ones come back is not defined (the first the index yields:
    ordering tens of thousands of *Mohammad* to return fifty would cost more than the search): a
    caller that asks for one more than it shows can tell the officer to narrow the search.
    """
    person_readers_check(actor=actor)
    parent = _parent_words_of(parent_name)
    persons = Person.objects.filter(person_visible_filter(actor=actor, field="pk"))
    if nationality:
        persons = persons.filter(nationality=nationality.upper())
    if token:
        persons = persons.filter(memberships__group__token=_token_of(token))
    if document_number:
        persons = persons.filter(documents__document_number=document_number.strip().upper()).distinct()
    if date_of_birth:
        persons = persons.filter(date_of_birth=date_of_birth)
    persons = persons.select_related("registered_at")
    names = search_words(query)
    found = list(persons_with_words(persons, names=names, parents=parent)[:limit])
    keys = sound_query(query) if sounds_like else ()
    parent_keys = sound_query(parent_name) if sounds_like and parent else ()
    for criteria in _alike_criteria(names, parent, keys, parent_keys):
        if len(found) >= limit:
            break
        alike = persons_with_words(persons, **criteria).exclude(pk__in=[p.pk for p in found])
        found += alike[: limit - len(found)]
    hits = sorted(found, key=lambda p: (p.search_name, p.pk.hex))
    with transaction.atomic():
        audit_record(
            actor=actor,
            event=AuditEvent.PERSONS_SEARCHED,
            detail={
                "criteria": sorted(
                    name
                    for name, value in (
                        ("query", query),
                        ("nationality", nationality),
                        ("token", token),
                        ("document_number", document_number),
                        ("date_of_birth", date_of_birth),
                        ("parent_name", " ".join(parent)),
                        ("sounds_like", keys or parent_keys),
                    )
                    if value
                ),
                "hits": [str(p.pk) for p in hits],
            },
        )
    return hits


def _alike_criteria(
    names: Sequence[str], parent: Sequence[str], keys: Sequence[str], parent_keys: Sequence[str]
) -> list[dict[str, Sequence[str]]]:
    """The searches a "sounds like" search makes after the one by words, in this order: the names
    by sound (the parent's name by words), the parent's name by sound (the names by words), both
    by sound — each only where there are keys to look up."""
    criteria: list[dict[str, Sequence[str]]] = []
    if keys:
        criteria.append({"sounds": keys, "parents": parent})
    if parent_keys:
        criteria.append({"names": names, "parent_sounds": parent_keys})
    if keys and parent_keys:
        criteria.append({"sounds": keys, "parent_sounds": parent_keys})
    return criteria


def person_words_found(person: Person, query: str, parent_name: str = "") -> bool:
    """Whether every word of ``query`` is in ``person``'s names as written, and every word of
    ``parent_name`` in their parents' (what the search by words matches), rather than only in how
    they sound."""
    return all(word in person.search_words for word in search_words(query)) and all(
        word in person.parents_search_words for word in search_words(parent_name)
    )


@dataclass(frozen=True, slots=True)
class DayFigures:
    """Aggregates of one crossing point over one local day. No personal data."""

    crossing_point: CrossingPoint
    day: date
    arrivals_by_tier: dict[str, int]
    arrivals_total: int
    by_sex_and_age: dict[str, dict[str, int]]
    by_nationality: list[tuple[str, int]]
    arrivals_per_hour: list[int]
    persons_with_specific_needs: int
    documents_by_condition: dict[str, int]


def _local_day_bounds(point: CrossingPoint, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(point.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def crossing_point_day_figures(*, crossing_point: CrossingPoint, day: date | None = None) -> DayFigures:
    """Arrivals (entries) of one local day by tier, sex and age band, nationality and hour.

    Counts are taken once: a count encounter counts its cells, a group pre-registration its size,
    an individual registration its person. An individual who belongs to a pre-registered group is
    not counted again (the group already counted them).
    """
    zone = ZoneInfo(crossing_point.timezone)
    day = day or datetime.now(zone).date()
    start, end = _local_day_bounds(crossing_point, day)
    encounters = Encounter.objects.filter(
        crossing_point=crossing_point, occurred_at__gte=start, occurred_at__lt=end, direction="entry"
    )
    per_hour = [0] * 24
    by_tier: Counter[str] = Counter()
    by_nat: Counter[str] = Counter()
    sex_age: dict[str, Counter[str]] = {s.value: Counter() for s in Sex}

    for cell_encounter_at, sex, band, count in CountCell.objects.filter(encounter__in=encounters).values_list(
        "encounter__occurred_at", "sex", "age_band", "count"
    ):
        per_hour[cell_encounter_at.astimezone(zone).hour] += count
        by_tier[Tier.COUNT] += count
        sex_age[sex][band] += count

    for at, size, nationality in encounters.filter(tier=Tier.GROUP).values_list(
        "occurred_at", "group__size", "group__nationality"
    ):
        per_hour[at.astimezone(zone).hour] += size
        by_tier[Tier.GROUP] += size
        by_nat[nationality] += size

    needs = 0
    individual = encounters.filter(tier=Tier.INDIVIDUAL).select_related("person")
    for encounter in individual:
        person = encounter.person
        assert person is not None
        band = age_band_of(age_on(person.date_of_birth, day))
        sex_age[person.sex][band] += 1
        needs += bool(person.specific_needs)
        if encounter.group_id is not None:
            continue
        per_hour[encounter.occurred_at.astimezone(zone).hour] += 1
        by_tier[Tier.INDIVIDUAL] += 1
        by_nat[person.nationality] += 1

    documents = Counter(
        individual.filter(person__documents__isnull=False).values_list(
            "person__documents__condition", flat=True
        )
    )
    return DayFigures(
        crossing_point=crossing_point,
        day=day,
        arrivals_by_tier={t.value: by_tier[t.value] for t in Tier},
        arrivals_total=sum(by_tier.values()),
        by_sex_and_age={s: {b.value: c[b.value] for b in AgeBand} for s, c in sex_age.items()},
        by_nationality=by_nat.most_common(),
        arrivals_per_hour=per_hour,
        persons_with_specific_needs=needs,
        documents_by_condition=dict(documents),
    )


def person_photo_read(*, actor: Actor, person_id: object) -> bytes:
    """The decrypted photo of a visible person; the view is audited."""
    key = _as_uuid(person_id)
    person = None if key is None else _visible_persons(actor).filter(pk=key).first()
    if person is None or person.photo is None:
        _refusal_record(actor=actor, kind="photo", record_id=person_id)
        raise NotFound(_("no such photo"))
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEvent.PHOTO_VIEWED, subject=person)
    return bytes(person.photo)
