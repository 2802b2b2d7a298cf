"""Load the seeded demo emergency into the database, through the same services the officers use.

Palanca (``PAL``), a land crossing from Ukraine into Moldova, was switched to emergency mode by the
crisis coordinator at the start of the day before yesterday. Since then a few thousand people have
crossed (see :mod:`hbm.demo.scenario` for the shape of the surge). Every record is written by a
service with a real actor and device, so the audit trail is complete and its chain verifies.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.accounts.services import user_create
from hbm.audit.chain import GENESIS_HASH
from hbm.audit.models import AuditHead
from hbm.audit.selectors import audit_chain_verify
from hbm.audit.triggers import append_only_disable, append_only_enable
from hbm.core.context import Actor
from hbm.crossings.enums import CrossingKind, CrossingMode
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.crossings.selectors import crossing_point_get
from hbm.crossings.services import crossing_mode_switch, crossing_point_assign, crossing_point_create
from hbm.dedup.records import match_terms_refresh
from hbm.demo.assessments import demo_assessments_create
from hbm.demo.followup import demo_followups_create
from hbm.demo.health import demo_health_screenings_create
from hbm.demo.plans import demo_plans_create
from hbm.demo.scenario import DemoPlan, PlannedGroup, PlannedIndividual, PlannedPerson, demo_plan
from hbm.demo.screening import demo_protection_screenings_create
from hbm.demo.users import (
    AIRPORT_CODE,
    BORDER_POLICE,
    DEMO_ORGANISATIONS,
    DEMO_USERS,
    LAND_CROSSING_CODE,
    SEA_PORT_CODE,
    DemoUser,
)
from hbm.registration.enums import Sex, Transport
from hbm.registration.models import Document, Person
from hbm.registration.selectors import crossing_point_day_figures
from hbm.registration.services import (
    CountData,
    DocumentData,
    EncounterData,
    IndividualData,
    count_record,
    group_preregister,
    person_register,
)
from hbm.tracing.enums import SoughtRelationship
from hbm.tracing.services import SoughtData, TracingRequestData, tracing_request_create

DEMO_TIMEZONE = "Europe/Chisinau"
# Tables kept by a reset: Django's own reference data, rebuilt only by migrations.
_KEPT_MODELS = frozenset({"contenttypes.contenttype", "auth.permission"})


@dataclass(frozen=True, slots=True)
class _CrossingPointSpec:
    code: str
    name: str
    kind: CrossingKind
    latitude: str
    longitude: str
    neighbouring_country: str
    normal_daily_capacity: int


CROSSING_POINTS: tuple[_CrossingPointSpec, ...] = (
    # The Palanca-Maiaky road crossing on the Odesa-Reni highway, Moldova's busiest border post
    # with Ukraine in 2022.
    _CrossingPointSpec(LAND_CROSSING_CODE, "Palanca", CrossingKind.LAND, "46.40980", "30.08520", "UKR", 1500),
    # Giurgiulesti on the Danube, Moldova's only port for sea-going ships (disembarkation).
    _CrossingPointSpec(
        SEA_PORT_CODE, "Giurgiulesti Port", CrossingKind.SEA, "45.47760", "28.19650", "ROU", 300
    ),
    # For an airport the neighbouring country names the main route (flights from Bucharest).
    _CrossingPointSpec(
        AIRPORT_CODE, "Chisinau International Airport", CrossingKind.AIR, "46.92770", "28.93090", "ROU", 2500
    ),
)
EMERGENCY_REASON = (
    "Arrivals from Ukraine passed the contingency plan's trigger (1,500 a day, queue over 6 hours): "
    "emergency registration is activated at Palanca."
)


# --- reset --------------------------------------------------------------------------------------


def _data_tables() -> list[str]:
    """Every table holding data: HBM's apps, users, sessions, lock-out records, admin log."""
    existing = set(connection.introspection.table_names())
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in _KEPT_MODELS and model._meta.db_table in existing
    )


def demo_data_erase() -> None:
    """Delete all data (users, crossing points, registrations, the audit trail) in one transaction.

    Audit entries are append-only: database triggers refuse UPDATE, DELETE and TRUNCATE, so Django's
    ``flush`` cannot remove them either. This lifts the triggers (the statements of
    :mod:`hbm.audit.triggers`, which the migration ``audit/0002_append_only_triggers`` also uses),
    empties every table but Django's content types and permissions, puts the triggers back and
    starts a new chain at ``seq`` 0, all in one transaction: if anything fails, nothing changed and
    the triggers are still in place. Throwing the whole trail away is legitimate only for demo data.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key checks still pending
            # from earlier writes of the same transaction: run those checks now.
            connection.check_constraints()
        append_only_disable(connection)
        statements = connection.ops.sql_flush(no_style(), _data_tables())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        append_only_enable(connection)
        AuditHead.objects.create(pk=1, seq=0, entry_hash=GENESIS_HASH)


# --- set-up -------------------------------------------------------------------------------------


def demo_is_loaded() -> bool:
    """True when any demo user exists (the demo is loaded, or a previous load was interrupted)."""
    return User.objects.filter(username__in=[u.username for u in DEMO_USERS]).exists()


def _organisations_create() -> dict[str, Organisation]:
    # Organisations are configuration with no service of their own yet (an admin adds them).
    return {
        org.name: Organisation.objects.create(name=org.name, kind=org.kind, country=org.country)
        for org in DEMO_ORGANISATIONS
    }


def _users_create(organisations: dict[str, Organisation]) -> dict[str, User]:
    return {
        spec.username: user_create(
            actor=None,
            username=spec.username,
            password=spec.password,
            role=spec.role,
            organisation=organisations[spec.organisation],
            first_name=spec.first_name,
            last_name=spec.last_name,
        )
        for spec in DEMO_USERS
    }


def _crossing_points_create(operator: Organisation, users: dict[str, User]) -> dict[str, CrossingPoint]:
    points = {
        spec.code: crossing_point_create(
            actor=None,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            latitude=Decimal(spec.latitude),
            longitude=Decimal(spec.longitude),
            neighbouring_country=spec.neighbouring_country,
            normal_daily_capacity=spec.normal_daily_capacity,
            operator=operator,
            timezone=DEMO_TIMEZONE,
        )
        for spec in CROSSING_POINTS
    }
    for code, point in points.items():
        staff = [users[u.username] for u in DEMO_USERS if code in u.posted_at]
        if staff:
            crossing_point_assign(crossing_point=point, users=staff)
    return points


def _emergency_declare(point: CrossingPoint, coordinator: User, since: datetime) -> ModeDecision:
    decision = crossing_mode_switch(
        actor=Actor(user=coordinator, device="browser"),
        crossing_point_id=point.pk,
        to_mode=CrossingMode.EMERGENCY,
        reason=EMERGENCY_REASON,
    )
    # The service stamps the decision with the present moment; the story needs it at the start of
    # day 1, before the arrivals it governs. The audit entry keeps its true time (when it was written).
    ModeDecision.objects.filter(pk=decision.pk).update(decided_at=since)
    CrossingPoint.objects.filter(pk=point.pk).update(mode_changed_at=since)
    return decision


# --- arrivals -----------------------------------------------------------------------------------


def _individual_data(
    person: PlannedPerson, at: datetime, *, transport: Transport, group_token: str = ""
) -> IndividualData:
    return IndividualData(
        given_names_latin=person.given.latin,
        surname_latin=person.family.latin,
        given_names_original=person.given.original,
        surname_original=person.family.original,
        sex=person.sex,
        nationality=person.nationality,
        date_of_birth=person.date_of_birth if person.birth_given == "date" else None,
        birth_year=person.date_of_birth.year if person.birth_given == "year" else None,
        estimated_age=person.estimated_age if person.birth_given == "estimated" else None,
        place_of_birth=person.place_of_birth,
        father_name=person.father_name,
        mother_name=person.mother_name,
        languages=person.languages,
        specific_needs=person.specific_needs,
        group_token=group_token,
        relationship=person.relationship if group_token else None,
        documents=tuple(
            DocumentData(kind=d.kind, mrz=d.mrz, is_damaged=d.is_damaged) for d in person.documents
        ),
        encounter=EncounterData(transport=transport, occurred_at=at),
    )


@dataclass(frozen=True, slots=True)
class _Staff:
    lanes: tuple[Actor, Actor]
    protection: Actor
    airport: Actor


def _staff(users: dict[str, User]) -> _Staff:
    officers = [users[u.username] for u in DEMO_USERS if u.role == Role.BORDER_OFFICER]
    screener = next(users[u.username] for u in DEMO_USERS if u.role == Role.SCREENING_OFFICER)
    return _Staff(
        lanes=(Actor(user=officers[0], device="tablet-1"), Actor(user=officers[1], device="tablet-2")),
        protection=Actor(user=screener, device="tablet-protection"),
        airport=Actor(user=officers[1], device="airport-desk-3"),
    )


def _group_steps(
    group: PlannedGroup, point: CrossingPoint, staff: _Staff
) -> list[tuple[datetime, Callable[[], object]]]:
    """Pre-register the group, then (if it is not in the backlog) register its members, head first."""
    actor = staff.lanes[group.officer]

    def preregister() -> object:
        return group_preregister(
            actor=actor,
            crossing_point_id=point.pk,
            size=len(group.members),
            head_name=group.head_name,
            nationality=group.nationality,
            data=EncounterData(occurred_at=group.at),
            token=group.token,
        )

    steps: list[tuple[datetime, Callable[[], object]]] = [(group.at, preregister)]
    if group.registered_from is None:
        return steps
    for index, member in enumerate(group.members):
        at = group.registered_from + timedelta(minutes=2 * index)
        data = _individual_data(member, at, transport=Transport.LAND, group_token=group.token)
        steps.append((at, _register(actor, point, data)))
    return steps


def _register(actor: Actor, point: CrossingPoint, data: IndividualData) -> Callable[[], object]:
    return lambda: person_register(actor=actor, crossing_point_id=point.pk, data=data)


def _individual_steps(
    individuals: tuple[PlannedIndividual, ...], actor: Actor, point: CrossingPoint, transport: Transport
) -> list[tuple[datetime, Callable[[], object]]]:
    return [
        (i.at, _register(actor, point, _individual_data(i.person, i.at, transport=transport)))
        for i in individuals
    ]


def _arrivals_load(plan: DemoPlan, points: dict[str, CrossingPoint], staff: _Staff) -> None:
    """Every record of the plan, written in the order of its time, as it happened."""
    land = points[LAND_CROSSING_CODE]
    steps: list[tuple[datetime, Callable[[], object]]] = []
    for number, count in enumerate(plan.counts):
        cells = [CountData(sex=sex, age_band=band, count=n) for sex, band, n in count.cells]
        actor = staff.lanes[number % 2]
        steps.append((count.at, _count(actor, land, cells, count.at)))
    for group in plan.groups:
        steps.extend(_group_steps(group, land, staff))
    steps.extend(_individual_steps(plan.unaccompanied_children, staff.protection, land, Transport.LAND))
    steps.extend(
        _individual_steps(plan.airport_travellers, staff.airport, points[AIRPORT_CODE], Transport.AIR)
    )
    steps.extend(_individual_steps(plan.registered_again, staff.lanes[1], land, Transport.LAND))
    # A stable sort keeps a group's pre-registration before its members even at the same second.
    for _, write in sorted(steps, key=lambda step: step[0]):
        write()


def _count(actor: Actor, point: CrossingPoint, cells: list[CountData], at: datetime) -> Callable[[], object]:
    return lambda: count_record(
        actor=actor, crossing_point_id=point.pk, cells=cells, data=EncounterData(occurred_at=at)
    )


# --- summary ------------------------------------------------------------------------------------


def _summary(plan: DemoPlan, point: CrossingPoint, seed: int, scale: float) -> dict[str, Any]:
    days = [crossing_point_day_figures(crossing_point=point, day=day) for day in plan.days]
    persons = Person.objects.filter(registered_at=point)
    documents = Counter(
        Document.objects.filter(person__registered_at=point).values_list("condition", flat=True)
    )
    registered = [m for g in plan.groups if g.registered_from for m in g.members]
    registered += [c.person for c in plan.unaccompanied_children]
    verdict = audit_chain_verify()
    return {
        "status": "loaded",
        "seed": seed,
        "scale": scale,
        "crossing_point": point.code,
        "mode": point.mode,
        "emergency_since": _local_iso(point.mode_changed_at, point.timezone),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "crossing_points": CrossingPoint.objects.count(),
        "days": [
            {"day": f.day.isoformat(), "arrivals": f.arrivals_total, "by_tier": f.arrivals_by_tier}
            for f in days
        ],
        "arrivals": sum(f.arrivals_total for f in days),
        "head_counts": len(plan.counts),
        "people_counted": plan.people_counted,
        "groups": len(plan.groups),
        "people_in_groups": plan.people_in_groups,
        "persons_registered": persons.count(),
        "children_registered": sum(p.is_child for p in registered),
        "unaccompanied_children": len(plan.unaccompanied_children),
        "registered_again": len(plan.registered_again),
        "persons_with_specific_needs": sum(bool(p.specific_needs) for p in registered),
        "documents": {condition: documents[condition] for condition in sorted(documents)},
        "audit_entries": verdict.checked,
        "audit_intact": verdict.is_intact,
    }


def _local_iso(moment: datetime | None, zone: str) -> str | None:
    return moment.astimezone(ZoneInfo(zone)).isoformat() if moment else None


# --- entry points -------------------------------------------------------------------------------


def demo_load(
    seed: int = 2026, reset: bool = False, *, scale: float = 1.0, now: datetime | None = None
) -> dict[str, Any]:
    """Load the demo emergency and return a JSON-able summary of what was stored.

    Deterministic: the same ``seed``, ``scale`` and ``now`` give the same records (ids and stored
    times aside) and the same summary, but for ``seconds``, the loading time. ``now`` (default: the
    present) ends day 3; ``scale`` multiplies every number of people (tests use 0.05).

    ``reset=True`` first erases all data with :func:`demo_data_erase` (see there why that lifts the
    audit trail's append-only triggers for a moment). Without it, a database that already holds the
    demo is left alone and the summary says ``"status": "already_loaded"``. The erase and the load
    run in one transaction: a failure leaves the database as it was.
    """
    started = time.perf_counter()
    if not reset and demo_is_loaded():
        return {"status": "already_loaded", "hint": "run `hbm demo --reset` to load it again"}
    zone = ZoneInfo(DEMO_TIMEZONE)
    moment = (now or datetime.now(zone)).astimezone(zone)
    plan = demo_plan(seed=seed, now=moment, scale=scale)
    with transaction.atomic():
        if reset:
            demo_data_erase()
        organisations = _organisations_create()
        users = _users_create(organisations)
        points = _crossing_points_create(organisations[BORDER_POLICE], users)
        coordinator = next(users[u.username] for u in DEMO_USERS if u.role == Role.COORDINATOR)
        since = datetime.combine(plan.days[0], datetime.min.time(), tzinfo=zone)
        _emergency_declare(points[LAND_CROSSING_CODE], coordinator, since)
        _arrivals_load(plan, points, _staff(users))
        traced = _tracing_requests_create(plan, users)
        protected = demo_protection_screenings_create(
            users=users, point=points[LAND_CROSSING_CODE], seed=seed, scale=scale
        )
        followed = demo_followups_create(users=users, point=points[LAND_CROSSING_CODE], days=plan.days)
        assessed = demo_assessments_create(users=users, point=points[LAND_CROSSING_CODE])
        planned = demo_plans_create(users=users, point=points[LAND_CROSSING_CODE])
        screened = demo_health_screenings_create(
            users=users, point=points[LAND_CROSSING_CODE], days=plan.days, now=moment, seed=seed, scale=scale
        )
        # How common each name is among the arrivals, so that the checks weigh KOVALENKO less than
        # a rare name from the start (the weights stay the configured ones: a handful of people
        # registered twice say too little to estimate them from).
        terms = match_terms_refresh()
        summary = _summary(
            plan, crossing_point_get(crossing_point_id=points[LAND_CROSSING_CODE].pk), seed, scale
        )
    summary["term_shares_of"] = terms.records
    summary["tracing_requests"] = traced
    summary["protection_screenings"] = protected
    summary["follow_ups"] = followed
    summary["assessments"] = assessed
    summary["contingency_plans"] = planned
    summary["health_screenings"] = screened
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary


def _tracing_requests_create(plan: DemoPlan, users: dict[str, User]) -> int:
    """Parents looking for the first two children who crossed alone, and a brother not (yet) seen.

    The duplicate worker searches for them once it has checked the registrations (``hbm start``
    runs it): the screening officer then finds the children's matches to ask them about.
    """
    caseworker = next(users[u.username] for u in DEMO_USERS if u.role == Role.CASEWORKER)
    actor = Actor(user=caseworker, device="tracing-office")
    separated_on = plan.days[0] - timedelta(days=2)
    requests = [_child_sought(child.person, separated_on) for child in plan.unaccompanied_children[:2]] + [
        _brother_sought(separated_on)
    ]
    for data in requests:
        tracing_request_create(actor=actor, data=data)
    return len(requests)


def _child_sought(child: PlannedPerson, separated_on: date) -> TracingRequestData:
    """The parent knows the name, the sex and about the age, not the exact birth date; and the
    parents' names, as the child gave them at registration (the rest the child did not know)."""
    return TracingRequestData(
        sought=SoughtData(
            given_names_latin=child.given.latin,
            surname_latin=child.family.latin,
            given_names_original=child.given.original,
            surname_original=child.family.original,
            sex=child.sex,
            estimated_age=child.age,
            nationality=child.nationality,
            father_name=child.father_name,
            mother_name=child.mother_name,
        ),
        relationship=SoughtRelationship.CHILD,
        enquirer_name=f"Parent of {child.given.latin.title()} {child.family.latin.title()}",
        enquirer_contact="via the Red Cross tracing office, Chisinau",
        enquirer_consent=True,
        separated_at_place="bus station, before the border",
        separated_on=separated_on,
        circumstances="Lost in the crowd while boarding buses to the border.",
    )


def _brother_sought(separated_on: date) -> TracingRequestData:
    return TracingRequestData(
        sought=SoughtData(
            given_names_latin="ANDRIY",
            surname_latin="MELNYK",
            given_names_original="Андрій",
            surname_original="Мельник",
            sex=Sex.MALE,
            birth_year=1991,
            nationality="UKR",
            father_name="Petro Melnyk",
            mother_name="Nina Melnyk",
        ),
        relationship=SoughtRelationship.SIBLING,
        enquirer_name="Iryna Melnyk",
        enquirer_contact="+373 60 000 000",
        enquirer_consent=True,
        separated_at_place="Odesa",
        separated_on=separated_on,
        circumstances="Stayed behind to drive their mother; phone unreachable since.",
    )


def demo_users_text() -> str:
    """The demo accounts as a printable table (demo mode only: the passwords are public)."""
    rows = [("username", "password", "role", "organisation", "posted at")]
    rows += [_user_row(u) for u in DEMO_USERS]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["Demo users (demo mode only: these passwords are public):"]
    lines += [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def _user_row(user: DemoUser) -> tuple[str, str, str, str, str]:
    return (user.username, user.password, str(user.role.label), user.organisation, ", ".join(user.posted_at))
