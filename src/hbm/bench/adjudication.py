"""``hbm bench adjudication``: the adjudicator's queue at national scale — open pairs gathered into
review groups — beside the pair list it replaced.

On a fresh database (SQLite in a temporary folder, or a throwaway PostgreSQL database on the server
named by ``DATABASE_URL``, dropped at the end): two crossing points, a coordinator, and a screening
officer posted at the first. ``--pairs`` open candidate pairs (default 80,000: what the default
thresholds left to a person among a million synthetic registrations, ``dedup-biographic``, ninth
and tenth sessions) are stored in bulk (not timed) between persons in bunches shaped as that run's
were: the records its 81,537 queued pairs join fall into 41,690 connected bunches — 31,350 of two
records, 6,109 of three, 1,821 of four, … 438 of twelve or more, one of 2,215 (:data:`BUNCHES`).
Each bunch is a random tree with a few more pairs; persons are spread over the two points.

Timed, ``--queries`` times each after warm-up, nearest-rank p50/p95 in ms, every read audited as in
use: ``pairs_list`` — the former queue (the first 200 open pairs, :func:`adjudication_queue`);
``groups`` — the queue as review groups (:func:`review_queue`: every open pair's ids read and
grouped, the first 200 groups loaded); ``groups_posted`` — the same for the screening officer, who
sees the pairs whose two persons were met at the first point; ``group_open`` — one group opened
from a random open pair (:func:`access_review_group`); ``review_next`` — *Review next* for a team:
each timed call by another coordinator, so that each takes a new group while the holds of the ones
before stay in force (:func:`hbm.dedup.holds.review_next`, decision 0025); ``registered`` — how
many persons every registration is, records linked as one person counted once and those in waiting
pairs counted (:func:`registered_count`, the coordinators' national figure), and
``registered_point`` — the same for the first crossing point, as its dashboard shows it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random
from typing import Any, Final

from hbm.bench.common import (
    child,
    database_version,
    django_setup,
    environment,
    machine_info,
    percentile_ms,
    step_migrate,
)

STEPS = "hbm.bench.adjudication"
WARMUP_QUERIES = 2
BATCH = 2000
# Bunch sizes (records) and how many there were among a million synthetic registrations'
# adjudication queue; 12 stands for "twelve or more" (12 to 55 records, and the one of 2,215).
BUNCHES: Final = {
    2: 31_350,
    3: 6_109,
    4: 1_821,
    5: 782,
    6: 445,
    7: 290,
    8: 173,
    9: 127,
    10: 101,
    11: 54,
    12: 438,
}
GIANT: Final = 2_215


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    pairs: int
    queries: int
    seed: int


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench adjudication", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pairs", type=int, default=80_000, help="open candidate pairs stored")
    parser.add_argument("--queries", type=int, default=20, help="timed reads of each kind")
    parser.add_argument("--seed", type=int, default=1, help="seed of the bunches")
    args = parser.parse_args(list(argv))
    if args.pairs < 1 or args.queries < 1:
        parser.error("--pairs and --queries must be at least 1")
    return Options(args.backend, args.pairs, args.queries, args.seed)


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        child(setup, STEPS, "migrate")
        loaded = json.loads(child(setup, STEPS, "load", str(options.pairs), str(options.seed)))
        timed = json.loads(child(setup, STEPS, "read", str(options.queries), str(options.seed)))
    return {
        "benchmark": "adjudication",
        "backend": options.backend,
        "pairs": loaded["pairs"],
        "persons": loaded["persons"],
        "open_groups": timed["open_groups"],
        "queries": options.queries,
        **{
            f"{kind}_{name}_ms": percentile_ms(timed[kind], fraction)
            for kind in (
                "pairs_list",
                "groups",
                "groups_posted",
                "group_open",
                "review_next",
                "registered",
                "registered_point",
            )
            for name, fraction in (("p50", 0.5), ("p95", 0.95))
        },
        "posted_open_pairs": timed["posted_open_pairs"],
        "registered_waiting": timed["registered_waiting"],
        "load_seconds": round(loaded["seconds"], 1),
        "database": timed["database"],
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --- steps run in a subprocess ------------------------------------------------------------------------


def bunch_sizes(pairs: int, rng: Random) -> list[int]:
    """Bunch sizes drawn as :data:`BUNCHES`, until a tree over each has at least ``pairs`` pairs;
    the bunch of :data:`GIANT` records once ``pairs`` is at least half the measured queue."""
    sizes, total = ([GIANT], GIANT - 1) if pairs >= 40_000 else ([], 0)
    population, weights = list(BUNCHES), list(BUNCHES.values())
    while total < pairs:
        size = rng.choices(population, weights)[0]
        size = rng.randint(12, 55) if size == 12 else size
        sizes.append(size)
        total += size - 1
    return sizes


def bunch_pairs(size: int, rng: Random) -> list[tuple[int, int]]:
    """A random tree over ``size`` records (each joins an earlier one) and ``size // 4`` more pairs."""
    pairs = {(rng.randrange(i), i) for i in range(1, size)}
    for _ in range(size // 4):
        a, b = sorted(rng.sample(range(size), 2))
        pairs.add((a, b))
    return sorted(pairs)


def points_and_people() -> tuple[Any, Any, Any]:
    """The crossing points (here, there) and the officer who registers; a screening officer posted
    here; the coordinator (``bench.coordinator``) made by :func:`emergency_crossing_create`."""
    import secrets

    from django.db import transaction

    from hbm.accounts.enums import Role
    from hbm.accounts.services import user_create
    from hbm.bench.common import emergency_crossing_create
    from hbm.crossings.models import CrossingPoint
    from hbm.crossings.services import crossing_point_assign

    with transaction.atomic():
        officer, here = emergency_crossing_create(officer_password=secrets.token_urlsafe(18))
        there = CrossingPoint.objects.get(pk=here.pk)
        there.pk, there.code, there.name = uuid.uuid4(), "THERE", "Second crossing"
        there.save(force_insert=True)
        screener = user_create(
            actor=None,
            username="bench.screening_officer",
            password=secrets.token_urlsafe(18),
            role=Role.SCREENING_OFFICER,
            organisation=here.operator,
        )
        crossing_point_assign(crossing_point=here, users=[screener])
    return here, there, officer


def _step_load(pairs: int, seed: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from hbm.bench.screening import persons_bulk_create
    from hbm.dedup.enums import CandidateStatus, Verdict
    from hbm.dedup.models import MatchCandidate
    from hbm.registration.models import Person

    started = time.perf_counter()
    rng = Random(seed)
    here, there, officer = points_and_people()
    sizes = bunch_sizes(pairs, rng)
    stored = 0
    while sizes:
        chunk = [sizes.pop()]
        while sizes and sum(chunk) < BATCH:
            chunk.append(sizes.pop())
        with transaction.atomic():
            persons = [
                *persons_bulk_create(sum(chunk) // 2, here, officer, rng),
                *persons_bulk_create(sum(chunk) - sum(chunk) // 2, there, officer, rng),
            ]
            rng.shuffle(persons)
            rows, first = [], 0
            for size in chunk:
                for a, b in bunch_pairs(size, rng):
                    low, high = sorted((persons[first + a].pk, persons[first + b].pk), key=lambda pk: pk.hex)
                    rows.append(
                        MatchCandidate(
                            person_low_id=low,
                            person_high_id=high,
                            verdict=Verdict.ADJUDICATE,
                            biographic_weight=12.0,
                            biographic_probability=rng.uniform(0.5, 0.995),
                            contributions=[{"field": "given", "level": "exact", "weight": 3.1}],
                            involves_child=rng.random() < 0.05,
                            status=CandidateStatus.OPEN,
                        )
                    )
                first += size
            MatchCandidate.objects.bulk_create(rows, batch_size=BATCH)
            stored += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"pairs": stored, "persons": Person.objects.count(), "seconds": time.perf_counter() - started}


def _step_read(queries: int, seed: int) -> dict[str, Any]:
    from hbm.accounts.models import User
    from hbm.core.context import Actor
    from hbm.crossings.models import CrossingPoint
    from hbm.dedup.holds import review_next
    from hbm.dedup.models import MatchCandidate
    from hbm.dedup.selectors import access_review_group, adjudication_queue, registered_count, review_queue

    coordinator = Actor(user=User.objects.get(username="bench.coordinator"), device="cli")
    posted = Actor(user=User.objects.get(username="bench.screening_officer"), device="cli")
    first_point = CrossingPoint.objects.order_by("code").first()
    ids = list(MatchCandidate.objects.values_list("pk", flat=True))
    rng = Random(seed)
    team = iter(_team(WARMUP_QUERIES + queries, coordinator.user))

    def timed(read: Any) -> list[float]:
        for _ in range(WARMUP_QUERIES):
            read()
        latencies = []
        for _ in range(queries):
            began = time.perf_counter()
            read()
            latencies.append(time.perf_counter() - began)
        return latencies

    return {
        "pairs_list": timed(lambda: adjudication_queue(actor=coordinator)),
        "groups": timed(lambda: review_queue(actor=coordinator)),
        "groups_posted": timed(lambda: review_queue(actor=posted)),
        "group_open": timed(lambda: access_review_group(actor=coordinator, candidate_id=rng.choice(ids))),
        "review_next": timed(lambda: review_next(actor=next(team))),
        "registered": timed(registered_count),
        "registered_point": timed(lambda: registered_count(crossing_point=first_point)),
        "registered_waiting": registered_count().waiting,
        "open_groups": review_queue(actor=coordinator).open_groups,
        "posted_open_pairs": review_queue(actor=posted).open_pairs,
        "database": database_version(),
    }


def _team(size: int, like: Any) -> list[Any]:
    """``size`` coordinators of the bench coordinator's organisation, each an actor of their own."""
    import secrets

    from hbm.accounts.enums import Role
    from hbm.accounts.services import user_create
    from hbm.core.context import Actor

    return [
        Actor(
            user=user_create(
                actor=None,
                username=f"bench.adjudicator.{n}",
                password=secrets.token_urlsafe(18),
                role=Role.COORDINATOR,
                organisation=like.organisation,
            ),
            device="cli",
        )
        for n in range(size)
    ]


def _step(argv: Sequence[str]) -> None:
    django_setup()
    step = argv[0]
    if step == "migrate":
        step_migrate()
    elif step == "load":
        print(json.dumps(_step_load(int(argv[1]), int(argv[2]))))
    elif step == "read":
        print(json.dumps(_step_read(int(argv[1]), int(argv[2]))))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
