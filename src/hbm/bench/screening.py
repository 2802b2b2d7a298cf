"""``hbm bench screening``: protection screenings and referrals per second through the services, and
the coordinator's protection dashboard over a million stored referrals.

Two measures, each on a fresh database (SQLite in a temporary folder, or a throwaway PostgreSQL
database created on the server named by ``DATABASE_URL`` and dropped at the end):

* **Screen and refer** (``per_second``): ``N`` persons (``--persons``, default 10,000) registered
  at one emergency crossing point (stored in bulk before the clock starts) are each screened by a
  screening officer through ``screening_record`` with the shipped first-contact questionnaire, and
  for every referral the pathways suggest, the officer confirms it to the first active service of
  that type serving the point through ``referral_make``, with the person's consent, so that it is
  sent. The answers come from a seeded mix of profiles (most adults with no specific need; children
  alone, pregnant women, older persons without help, disabilities, trafficking indicators, asylum,
  illness; those of the demo, ``hbm.demo.screening``), every one valid for the questionnaire's skip
  logic. Everything the services do is
  timed: the engine's checks and rules, the encrypted answers, the flags, the quick flags, consent,
  the referral, its steps and every audit entry. ``per_second = N / seconds``.
* **Dashboard** (``dashboard_p95_ms``): ``M`` referrals (``--referrals``, default 1,000,000) are
  bulk-loaded (``COPY`` on PostgreSQL, ``executemany`` on SQLite; not timed) with their persons
  (one per two referrals), screenings and flags, spread over :data:`POINTS` crossing points and the
  last :data:`LOAD_DAYS` days (a surge
  that peaked :data:`SURGE_PEAK_DAYS_AGO` days ago: about a fifth of them in the last 14 days) with a
  seeded realistic mix of specific-needs categories, urgencies
  and statuses (recent days more pending and overdue, older days mostly accepted or closed). After
  ``ANALYZE`` (PostgreSQL: ``VACUUM ANALYZE``, as autovacuum would have done), the coordinator's
  dashboard (``protection_figures``: every crossing point, the default last 14 days) is computed
  ``--queries`` times (default 30) after 3 warm-up runs; ``dashboard_p50_ms``/``dashboard_p95_ms``
  are nearest-rank. ``dashboard_all_days_p95_ms`` is the same over all :data:`LOAD_DAYS` days
  (every stored referral read).

Set-up and measures run in subprocesses (``python -m hbm.bench.screening STEP``) because Django's
settings are read once per process, from the environment.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from random import Random
from typing import Any

from hbm.bench.common import (
    child,
    database_version,
    django_setup,
    environment,
    machine_info,
    percentile_ms,
    step_migrate,
)

STEPS = "hbm.bench.screening"
POINTS = 12
LOAD_DAYS = 90
SURGE_PEAK_DAYS_AGO = 10  # arrivals rise to a peak ten days ago and are still many
WARMUP_QUERIES = 3
PERSON_PER_REFERRALS = 2  # one stored person for every two bulk-loaded referrals


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    persons: int
    referrals: int
    queries: int
    seed: int


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench screening", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--persons", type=int, default=10_000, help="persons screened and referred")
    parser.add_argument("--referrals", type=int, default=1_000_000, help="referrals stored for the dashboard")
    parser.add_argument("--queries", type=int, default=30, help="timed dashboard queries")
    parser.add_argument("--seed", type=int, default=1, help="seed of the answers and the stored referrals")
    args = parser.parse_args(list(argv))
    if args.persons < 1 or args.referrals < 2 or args.queries < 1:
        parser.error("--persons and --queries must be at least 1, --referrals at least 2")
    return Options(args.backend, args.persons, args.referrals, args.queries, args.seed)


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        child(setup, STEPS, "migrate")
        child(setup, STEPS, "setup")
        screened = json.loads(child(setup, STEPS, "screen", str(options.persons), str(options.seed)))
        loaded = json.loads(child(setup, STEPS, "load", str(options.referrals), str(options.seed)))
        timed = json.loads(child(setup, STEPS, "dashboard", str(options.queries)))
    return {
        "benchmark": "screening",
        "backend": options.backend,
        "persons": options.persons,
        "per_second": round(options.persons / screened["seconds"], 1),
        "seconds": round(screened["seconds"], 3),
        "flagged": screened["flagged"],
        "flags": screened["flags"],
        "referrals_made": screened["referrals"],
        "referrals_sent": screened["sent"],
        "stored_referrals": loaded["referrals"],
        "stored_flags": loaded["flags"],
        "load_seconds": round(loaded["seconds"], 1),
        "queries": options.queries,
        "dashboard_p50_ms": percentile_ms(timed["default"], 0.50),
        "dashboard_p95_ms": percentile_ms(timed["default"], 0.95),
        "dashboard_all_days_p95_ms": percentile_ms(timed["all_days"], 0.95),
        "dashboard_days_shown": timed["days_shown"],
        "database": timed["database"],
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --- steps run in a subprocess ------------------------------------------------------------------------


def _step_setup() -> None:
    """Crossing points in emergency mode, a screening officer posted at the first, a coordinator,
    and one active service per service type serving every point."""
    from decimal import Decimal

    from django.db import transaction

    from hbm.accounts.enums import OrganisationKind, Role
    from hbm.accounts.models import Organisation
    from hbm.accounts.services import user_create
    from hbm.core.context import Actor
    from hbm.crossings.enums import CrossingKind
    from hbm.crossings.services import crossing_point_assign, crossing_point_create
    from hbm.protection.enums import ServiceType
    from hbm.protection.services import ServiceData, service_create

    with transaction.atomic():
        operator = Organisation.objects.create(
            name="Benchmark Border Police", kind=OrganisationKind.BORDER_AGENCY, country="MDA"
        )
        ngo = Organisation.objects.create(name="Benchmark NGO", kind=OrganisationKind.NGO, country="MDA")
        screener, coordinator = (
            user_create(
                actor=None,
                username=f"bench.{role.value}",
                password=secrets.token_urlsafe(18),
                role=role,
                organisation=operator,
            )
            for role in (Role.SCREENING_OFFICER, Role.COORDINATOR)
        )
        points = [
            crossing_point_create(
                actor=None,
                code=f"B{index:02d}",
                name=f"Benchmark crossing {index:02d}",
                kind=CrossingKind.LAND,
                latitude=Decimal("46.40980"),
                longitude=Decimal("30.08520"),
                neighbouring_country="UKR",
                normal_daily_capacity=1500,
                operator=operator,
                timezone="Europe/Chisinau",
            )
            for index in range(POINTS)
        ]
        crossing_point_assign(crossing_point=points[0], users=[screener])
        actor = Actor(user=coordinator, device="cli")
        for service_type in ServiceType:
            service_create(
                actor=actor,
                data=ServiceData(
                    organisation_id=ngo.pk,
                    name=f"Benchmark {service_type.value}",
                    service_type=service_type,
                    crossing_point_ids=tuple(p.pk for p in points),
                ),
            )


def persons_bulk_create(count: int, point: Any, officer: Any, rng: Random) -> list[Any]:
    """``count`` persons with an individual encounter each, stored in bulk (not timed)."""
    from hbm.core.time import now
    from hbm.registration.enums import BirthDateAccuracy, Direction, Tier, Transport
    from hbm.registration.models import Encounter, Person

    moment = now()
    persons = [
        Person(
            given_names_latin=f"PERSON{i}",
            surname_latin="BENCH",
            search_name=f"BENCH PERSON{i}",
            sex=rng.choice("FM"),
            date_of_birth=date(1990, 1, 1),
            birth_date_accuracy=BirthDateAccuracy.ESTIMATED,
            nationality="UKR",
            registered_at=point,
            registered_by=officer,
            dedup_checked_at=moment,
        )
        for i in range(count)
    ]
    Person.objects.bulk_create(persons, batch_size=1000)
    Encounter.objects.bulk_create(
        [
            Encounter(
                crossing_point=point,
                occurred_at=moment - timedelta(minutes=rng.randint(5, 240)),
                direction=Direction.ENTRY,
                tier=Tier.INDIVIDUAL,
                transport=Transport.LAND,
                mode=point.mode,
                officer=officer,
                device="bench",
                person=p,
            )
            for p in persons
        ],
        batch_size=1000,
    )
    return persons


def _step_screen(count: int, seed: int) -> dict[str, Any]:
    from hbm.accounts.models import User
    from hbm.core.context import Actor
    from hbm.core.time import today
    from hbm.crossings.models import CrossingPoint
    from hbm.demo.screening import answers_of
    from hbm.protection.enums import ConsentGivenBy, ReferralStatus, SharedField, Urgency
    from hbm.protection.models import ProtectionFlag
    from hbm.protection.referrals import ConsentData, ReferralData, referral_make
    from hbm.protection.screening import screening_record, screening_suggestions

    rng = Random(seed)
    screener = User.objects.get(username="bench.screening_officer")
    point = CrossingPoint.objects.get(code="B00")
    persons = persons_bulk_create(count, point, screener, rng)
    actor = Actor(user=screener, device="bench")
    day = today()
    answers = [answers_of(rng, day) for _ in persons]
    referrals = sent = flagged = 0
    started = time.perf_counter()
    for person, given in zip(persons, answers, strict=True):
        screening = screening_record(actor=actor, person_id=person.pk, answers=given)
        suggestions = screening_suggestions(screening=screening)
        flagged += bool(suggestions) or screening.urgency != ""
        for suggestion in suggestions:
            if not suggestion.services:
                continue
            service = suggestion.services[0]
            referral = referral_make(
                actor=actor,
                person_id=person.pk,
                data=ReferralData(
                    service_id=service.pk,
                    urgency=Urgency(suggestion.suggested.urgency.value),
                    reason="Suggested by the first-contact screening.",
                    flag=(suggestion.suggested.flags or ("",))[0],
                    shared_fields=(SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH),
                    screening_id=screening.pk,
                ),
                consent=ConsentData(
                    recipient_id=service.organisation_id, is_given=True, given_by=ConsentGivenBy.PERSON
                ),
            )
            referrals += 1
            sent += referral.status == ReferralStatus.SENT
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "flagged": flagged,
        "flags": ProtectionFlag.objects.count(),
        "referrals": referrals,
        "sent": sent,
    }


# The stored referrals' mix: (code, category, concern, urgency, weight), after what the shipped
# rules raise; flags with no UNHCR code (an uncomplicated pregnancy) have a blank code and category.
LOAD_FLAGS: tuple[tuple[str, str, str, str, float], ...] = (
    ("SC-UC", "SC", "uasc", "high", 0.08),
    ("SC-SC", "SC", "uasc", "high", 0.06),
    ("LP-RR", "LP", "asylum", "high", 0.18),
    ("LP-AN", "LP", "trafficking", "high", 0.04),
    ("SM-CI", "SM", "medical", "high", 0.08),
    ("SM-OT", "SM", "medical", "medium", 0.06),
    ("SM-CC", "SM", "medical", "life_threatening", 0.01),
    ("SM-MI", "SM", "mental_health", "high", 0.04),
    ("DS-PM", "DS", "disability", "medium", 0.06),
    ("DS-BD", "DS", "disability", "medium", 0.02),
    ("ER-MC", "ER", "older_person", "medium", 0.06),
    ("SP-PT", "SP", "single_caregiver", "medium", 0.07),
    ("", "", "pregnancy", "medium", 0.06),
    ("TR-HO", "TR", "violence_torture", "high", 0.03),
    ("SV", "SV", "gbv", "high", 0.03),
    ("FU-TR", "FU", "family_tracing", "medium", 0.05),
    ("CR-CP", "CR", "child_protection", "medium", 0.02),
)
SERVICE_OF_CONCERN = {
    "uasc": "child_protection",
    "asylum": "asylum",
    "trafficking": "anti_trafficking",
    "medical": "medical",
    "mental_health": "mental_health",
    "disability": "disability",
    "older_person": "older_persons",
    "single_caregiver": "shelter",
    "pregnancy": "maternal_health",
    "violence_torture": "torture_rehabilitation",
    "gbv": "gbv",
    "family_tracing": "family_tracing",
    "child_protection": "child_protection",
}
DEADLINE_HOURS = {"life_threatening": 1, "high": 24, "medium": 72, "low": 168}


class _Writer:
    """Rows into one table as fast as the database takes them: ``COPY`` on PostgreSQL,
    ``executemany`` on SQLite (values adapted as Django stores them there)."""

    def __init__(self, model: Any, columns: Sequence[str]) -> None:
        from django.db import connection

        self.connection = connection
        self.table = connection.ops.quote_name(model._meta.db_table)
        self.columns = list(columns)

    def write(self, rows: Iterator[tuple[Any, ...]]) -> int:
        names = ", ".join(self.connection.ops.quote_name(c) for c in self.columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            marks = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"  # noqa: S608 - names quoted
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(tuple(_sqlite_value(v) for v in row))
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


@dataclass(frozen=True, slots=True)
class _Stored:
    person: uuid.UUID
    screening: uuid.UUID
    point: uuid.UUID
    day: date
    arrived: datetime


def _step_load(count: int, seed: int) -> dict[str, Any]:
    """Bulk-load ``count`` referrals with their persons, screenings and flags (see the docstring)."""
    from django.db import connection, transaction

    from hbm.accounts.models import User
    from hbm.core.crypto import EncryptedJSONField
    from hbm.core.time import now, today
    from hbm.crossings.models import CrossingPoint
    from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral, Service
    from hbm.registration.models import Person
    from hbm.registration.values import search_sounds_of

    rng = Random(seed + 1)
    started = time.perf_counter()
    screener = User.objects.get(username="bench.screening_officer")
    points = list(CrossingPoint.objects.order_by("code").values_list("pk", flat=True))
    services = {s.service_type: (s.pk, s.organisation_id) for s in Service.objects.all()}
    sealed_text = EncryptedJSONField().get_prep_value("")
    sealed_answers = EncryptedJSONField().get_prep_value({})
    moment, last_day = now(), today()
    persons_count = max(1, count // PERSON_PER_REFERRALS)
    stored: list[_Stored] = []
    for _ in range(persons_count):
        days_ago = min(int(rng.triangular(0, LOAD_DAYS, SURGE_PEAK_DAYS_AGO)), LOAD_DAYS - 1)
        arrived = moment - timedelta(days=days_ago, minutes=rng.randint(0, 1439))
        point = points[int(rng.paretovariate(1.2)) % len(points)]
        ids = uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=rng.getrandbits(128))
        stored.append(_Stored(*ids, point, last_day - timedelta(days=days_ago), arrived))
    flags = [f[:4] for f in LOAD_FLAGS]
    weights = [f[4] for f in LOAD_FLAGS]
    drawn = [rng.choices(flags, weights, k=rng.choice((1, 1, 1, 2, 2, 3))) for _ in stored]

    sounds = search_sounds_of("P", "BENCH", "", "")

    def person_rows() -> Iterator[tuple[Any, ...]]:
        for s in stored:
            yield (s.person, s.arrived, s.arrived, "", "", "P", "BENCH", "BENCH P", "F", date(1990, 1, 1),
                   "estimated", "UKR", "", "", "", "", "", "", sounds, "[]", "", s.point, screener.pk, 1,
                   s.arrived)  # fmt: skip

    planned = [_referral_plan(rng, index, stored, drawn, moment) for index in range(count)]
    first_accepted: dict[int, datetime] = {}
    in_time: set[int] = set()
    for person, _flag, deadline, status, answered in planned:
        if answered is not None and status in ("accepted", "in_progress", "closed"):
            first_accepted[person] = min(answered, first_accepted.get(person, answered))
            if answered <= deadline:
                in_time.add(person)

    def screening_rows() -> Iterator[tuple[Any, ...]]:
        for index, s in enumerate(stored):
            yield (s.screening, s.arrived, s.arrived, s.person, s.point, "first-contact-protection", 1,
                   "0" * 64, sealed_answers, False, False, "high", screener.pk, s.arrived, s.day, s.arrived,
                   first_accepted.get(index), index in in_time)  # fmt: skip

    def flag_rows() -> Iterator[tuple[Any, ...]]:
        for s, chosen in zip(stored, drawn, strict=True):
            for code, category, concern, urgency in chosen:
                yield (uuid.UUID(int=rng.getrandbits(128)), s.arrived, s.arrived, s.person, s.screening,
                       s.point, code, category, concern, urgency, s.arrived, s.day)  # fmt: skip

    def referral_rows() -> Iterator[tuple[Any, ...]]:
        for person, (code, _, concern, urgency), deadline, status, answered in planned:
            s = stored[person]
            service, organisation = services[SERVICE_OF_CONCERN[concern]]
            created = deadline - timedelta(hours=DEADLINE_HOURS[urgency])
            yield (uuid.UUID(int=rng.getrandbits(128)), created, created, s.person, service, organisation,
                   s.point, code, urgency, status, "", sealed_text, '["names"]', screener.pk, deadline,
                   created, answered, sealed_text, s.screening, s.day, s.arrived)  # fmt: skip

    person_columns = _columns(
        "id created_at updated_at given_names_original surname_original given_names_latin surname_latin"
        " search_name sex date_of_birth birth_date_accuracy nationality place_of_birth father_name"
        " mother_name father_search_name mother_search_name search_original search_sounds languages"
        " no_document_reason registered_at_id registered_by_id version dedup_checked_at"
    )
    screening_columns = _columns(
        "id created_at updated_at person_id crossing_point_id questionnaire_id questionnaire_version"
        " questionnaire_digest answers treated_as_child age_in_doubt urgency screened_by_id screened_at day"
        " arrived_at first_accepted_at accepted_in_time"
    )
    flag_columns = _columns(
        "id created_at updated_at person_id screening_id crossing_point_id code category concern urgency"
        " raised_at day"
    )
    referral_columns = _columns(
        "id created_at updated_at person_id service_id organisation_id crossing_point_id flag urgency status"
        " outcome reason shared_fields created_by_id deadline_at sent_at answered_at note screening_id day"
        " arrived_at"
    )
    with transaction.atomic():
        _Writer(Person, person_columns).write(person_rows())
        _Writer(ProtectionScreening, screening_columns).write(screening_rows())
        flag_count = _Writer(ProtectionFlag, flag_columns).write(flag_rows())
        referral_count = _Writer(Referral, referral_columns).write(referral_rows())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"referrals": referral_count, "flags": flag_count, "seconds": time.perf_counter() - started}


def _referral_plan(
    rng: Random,
    index: int,
    stored: list[_Stored],
    drawn: list[list[tuple[str, str, str, str]]],
    moment: datetime,
) -> tuple[int, tuple[str, str, str, str], datetime, str, datetime | None]:
    """Referral ``index``: of person ``index % persons``, for one of their flags, made 10 to 120
    minutes after they arrived; its deadline, status and answer time."""
    person = index % len(stored)
    flags = drawn[person]
    flag = flags[(index // len(stored)) % len(flags)]
    created = stored[person].arrived + timedelta(minutes=rng.randint(10, 120))
    deadline = created + timedelta(hours=DEADLINE_HOURS[flag[3]])
    status, answered = _status_of(rng, created, deadline, moment)
    return person, flag, deadline, status, answered


def _columns(names: str) -> list[str]:
    return names.split()


def _status_of(
    rng: Random, created: datetime, deadline: datetime, moment: datetime
) -> tuple[str, datetime | None]:
    """A status and its answer time: accepted (mostly in time), declined, or still awaiting."""
    age = moment - created
    if age < timedelta(hours=2) or rng.random() < 0.08:
        return rng.choice(("pending", "sent")), None
    delay = timedelta(minutes=rng.expovariate(1 / 600))
    answered = min(created + delay, moment)
    roll = rng.random()
    if roll < 0.06:
        return "declined", answered
    if roll < 0.4 or age < timedelta(days=2):
        return "accepted", answered
    return rng.choice(("in_progress", "closed")), answered


def _step_dashboard(queries: int) -> dict[str, Any]:
    from datetime import timedelta as _delta

    from hbm.accounts.models import User
    from hbm.core.time import today
    from hbm.protection.dashboard import protection_figures

    coordinator = User.objects.get(username="bench.coordinator")

    def timed(**period: Any) -> tuple[list[float], int]:
        shown = 0
        for _ in range(WARMUP_QUERIES):
            protection_figures(user=coordinator, **period)
        latencies = []
        for _ in range(queries):
            started = time.perf_counter()
            shown = len(protection_figures(user=coordinator, **period).days)
            latencies.append(time.perf_counter() - started)
        return latencies, shown

    default, shown = timed()
    last = today()
    all_days, _ = timed(start=last - _delta(days=LOAD_DAYS - 1), end=last)
    return {"default": default, "all_days": all_days, "days_shown": shown, "database": database_version()}


def _step(argv: Sequence[str]) -> None:
    django_setup()
    step = argv[0]
    if step == "migrate":
        step_migrate()
    elif step == "setup":
        _step_setup()
    elif step == "screen":
        print(json.dumps(_step_screen(int(argv[1]), int(argv[2]))))
    elif step == "load":
        print(json.dumps(_step_load(int(argv[1]), int(argv[2]))))
    elif step == "dashboard":
        print(json.dumps(_step_dashboard(int(argv[1]))))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
