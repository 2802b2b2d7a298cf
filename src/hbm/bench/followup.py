"""``hbm bench followup``: the coordinator's follow-up overview (where every flagged person stands)
over ``N`` flagged persons (``--flagged``, default 20,000).

On a fresh database (SQLite in a temporary folder, or a throwaway PostgreSQL database on the server
named by ``DATABASE_URL``, dropped at the end): one emergency crossing point, a screening officer,
a caseworker of a service and a coordinator. One person is registered, screened (the shipped
questionnaire: a child alone), referred with consent, accepted and followed up through the real
services; those rows are then cloned in bulk (not timed) into ``N`` flagged persons with a seeded
mix of positions: flagged and not referred (a fifth; flags raised over the last three days, so
some past their deadline), referred and waiting, accepted, in follow-up at every stage of the four
kinds (stages reached over the last 200 days, so some past their review day), and closed. After
``ANALYZE``, the overview is computed ``--queries`` times (default 20, after 3 warm-up runs) with
no filter (counts plus the first page), overdue only, and a page in the middle;
``*_p50_ms``/``*_p95_ms`` are nearest-rank.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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

STEPS = "hbm.bench.followup"
WARMUP_QUERIES = 3
BATCH = 2000
ALONE = {"age_basis": "estimated", "age_years": 15, "child_accompanied_by": "alone"}


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    flagged: int
    queries: int
    seed: int


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench followup", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--flagged", type=int, default=20_000, help="flagged persons stored")
    parser.add_argument("--queries", type=int, default=20, help="timed overview queries of each kind")
    parser.add_argument("--seed", type=int, default=1, help="seed of the positions")
    args = parser.parse_args(list(argv))
    if args.flagged < 1 or args.queries < 1:
        parser.error("--flagged and --queries must be at least 1")
    return Options(args.backend, args.flagged, args.queries, args.seed)


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        child(setup, STEPS, "migrate")
        loaded = json.loads(child(setup, STEPS, "load", str(options.flagged), str(options.seed)))
        timed = json.loads(child(setup, STEPS, "overview", str(options.queries)))
    return {
        "benchmark": "followup",
        "backend": options.backend,
        "flagged": loaded["flagged"],
        "phases": timed["phases"],
        "load_seconds": round(loaded["seconds"], 1),
        "queries": options.queries,
        "overview_p50_ms": percentile_ms(timed["default"], 0.50),
        "overview_p95_ms": percentile_ms(timed["default"], 0.95),
        "overdue_p95_ms": percentile_ms(timed["overdue"], 0.95),
        "middle_page_p95_ms": percentile_ms(timed["middle"], 0.95),
        "database": timed["database"],
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --- steps run in a subprocess ------------------------------------------------------------------------


def _templates() -> dict[str, Any]:
    """One person through every service: registered, screened, referred, accepted, followed up."""
    import secrets
    from datetime import date

    from django.db import transaction

    from hbm.accounts.enums import OrganisationKind, Role
    from hbm.accounts.models import Organisation, User
    from hbm.accounts.services import user_create
    from hbm.bench.common import emergency_crossing_create
    from hbm.core.context import Actor
    from hbm.crossings.services import crossing_point_assign
    from hbm.followup.enums import FollowUpKind, FollowUpStage
    from hbm.followup.services import FollowUpData, followup_open
    from hbm.protection.enums import ReferralStatus, ServiceType, Urgency
    from hbm.protection.models import ProtectionFlag
    from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
    from hbm.protection.screening import screening_record
    from hbm.protection.services import ServiceData, service_create
    from hbm.registration.enums import Sex
    from hbm.registration.services import IndividualData, person_register

    with transaction.atomic():
        _officer, point = emergency_crossing_create(officer_password=secrets.token_urlsafe(18))
        coordinator = Actor(user=User.objects.get(username="bench.coordinator"), device="cli")
        service_org = Organisation.objects.create(
            name="Bench asylum service", kind=OrganisationKind.ASYLUM_SERVICE
        )
        screener, caseworker = (
            user_create(
                actor=None,
                username=f"bench.{role.value}",
                password=secrets.token_urlsafe(18),
                role=role,
                organisation=organisation,
            )
            for role, organisation in (
                (Role.SCREENING_OFFICER, point.operator),
                (Role.CASEWORKER, service_org),
            )
        )
        crossing_point_assign(crossing_point=point, users=[screener])
        service = service_create(
            actor=coordinator,
            data=ServiceData(
                organisation_id=service_org.pk,
                name="Asylum desk",
                service_type=ServiceType.ASYLUM,
                crossing_point_ids=(point.pk,),
            ),
        )
        officer = Actor(user=screener, device="cli")
        person = person_register(
            actor=officer,
            crossing_point_id=point.pk,
            data=IndividualData(
                given_names_latin="AMIR",
                surname_latin="TEMPLATE",
                sex=Sex.MALE,
                nationality="SYR",
                date_of_birth=date(2011, 3, 14),
            ),
        )
        screening = screening_record(actor=officer, person_id=person.pk, answers=ALONE)
        referral = referral_make(
            actor=officer,
            person_id=person.pk,
            data=ReferralData(service_id=service.pk, urgency=Urgency.HIGH, reason="Alone.", flag="SC-UC"),
            consent=ConsentData(recipient_id=service_org.pk, is_given=True),
        )
        referral = referral_answer(
            actor=Actor(user=caseworker, device="cli"), referral_id=referral.pk, to=ReferralStatus.ACCEPTED
        )
        follow_up = followup_open(
            actor=Actor(user=caseworker, device="cli"),
            person_id=person.pk,
            data=FollowUpData(
                kind=FollowUpKind.ASYLUM,
                stage=FollowUpStage.APPLICATION_LODGED,
                happened_on=date.today(),
                referral_id=referral.pk,
            ),
        )
    return {
        "person": person,
        "screening": screening,
        "flag": ProtectionFlag.objects.get(screening=screening),
        "referral": referral,
        "follow_up": follow_up,
    }


def _clone(template: Any, **changes: Any) -> Any:
    """A copy of a stored row, in memory, as a new row with ``changes``."""
    from django.db.models.base import ModelState

    clone = copy.copy(template)
    clone._state = ModelState()
    clone.pk = uuid.uuid4()
    for name, value in changes.items():
        setattr(clone, name, value)
    return clone


def _step_load(count: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from hbm.core.time import now, today
    from hbm.engines.followup import LIFECYCLES, is_closed, review_due
    from hbm.followup.models import FollowUp
    from hbm.protection.models import ProtectionFlag, ProtectionScreening, Referral
    from hbm.registration.models import Person

    started = time.perf_counter()
    made = _templates()
    rng = Random(seed)
    moment, day = now(), today()
    stages = [(cycle.kind, stage) for cycle in LIFECYCLES.values() for stage in cycle.stages]
    for first in range(0, count - 1, BATCH):
        persons, screenings, flags, referrals, follow_ups = [], [], [], [], []
        for i in range(first, min(first + BATCH, count - 1)):
            person = _clone(made["person"], search_name=f"BENCH {i}", surname_latin=f"BENCH{i}")
            raised = moment - timedelta(hours=rng.uniform(0, 72))
            screening = _clone(made["screening"], person=person, screened_at=raised)
            persons.append(person)
            screenings.append(screening)
            flags.append(_clone(made["flag"], person=person, screening=screening, raised_at=raised))
            position = rng.random()
            if position < 0.2:
                continue  # flagged, not referred
            status = "sent" if position < 0.45 else "accepted" if position < 0.6 else "closed"
            referral = _clone(
                made["referral"],
                person=person,
                status=status,
                outcome="service_provided" if status == "closed" else "",
                deadline_at=raised + timedelta(hours=24),
            )
            referrals.append(referral)
            if position < 0.6:
                continue
            kind, stage = rng.choice(stages)
            reached = day - timedelta(days=rng.randint(0, 200))
            follow_ups.append(
                _clone(
                    made["follow_up"],
                    person=person,
                    referral=referral,
                    kind=kind,
                    stage=stage,
                    is_closed=is_closed(kind, stage),
                    started_on=reached,
                    stage_on=reached,
                    review_on=review_due(kind, stage, reached),
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(persons)
            ProtectionScreening.objects.bulk_create(screenings)
            ProtectionFlag.objects.bulk_create(flags)
            Referral.objects.bulk_create(referrals)
            # One open follow-up per kind and person: each clone is another person's.
            FollowUp.objects.bulk_create(follow_ups)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"flagged": Person.objects.count(), "seconds": time.perf_counter() - started}


def _step_overview(queries: int) -> dict[str, Any]:
    from hbm.accounts.models import User
    from hbm.core.context import Actor
    from hbm.followup.selectors import OverviewFilter, followup_overview

    actor = Actor(user=User.objects.get(username="bench.coordinator"), device="cli")
    first = followup_overview(actor=actor, filters=OverviewFilter())

    def timed(filters: OverviewFilter) -> list[float]:
        for _ in range(WARMUP_QUERIES):
            followup_overview(actor=actor, filters=filters)
        latencies = []
        for _ in range(queries):
            started = time.perf_counter()
            followup_overview(actor=actor, filters=filters)
            latencies.append(time.perf_counter() - started)
        return latencies

    return {
        "default": timed(OverviewFilter()),
        "overdue": timed(OverviewFilter(is_overdue=True)),
        "middle": timed(OverviewFilter(page=max(1, first.pages // 2))),
        "phases": first.phase_totals(),
        "database": database_version(),
    }


def _step(argv: Sequence[str]) -> None:
    django_setup()
    step = argv[0]
    if step == "migrate":
        step_migrate()
    elif step == "load":
        print(json.dumps(_step_load(int(argv[1]), int(argv[2]))))
    elif step == "overview":
        print(json.dumps(_step_overview(int(argv[1]))))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
