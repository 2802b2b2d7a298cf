"""``hbm bench registration``: individual registrations per second through the real HTTP server.

What is measured: ``C`` client threads (default 8), each with its own keep-alive ``httpx.Client``
and its own device token, POST ``/api/crossing-points/<id>/persons`` with an emergency-mode
minimum data set (names in Cyrillic and Latin letters, sex, an estimated age or a date of birth,
nationality, languages and a client-made ``id``) to gunicorn (``gthread``, ``W`` workers × ``T``
threads) on loopback, against a fresh database (SQLite in a temporary folder, or a throwaway
PostgreSQL database). Every request runs the whole production path: token authentication, the
access check, validation, the insert of the person and its encounter, and the audit-chain append.

The scheme, kept simple so every figure can be explained:

* **Warm-up, not timed**: each client first sends :data:`WARMUP_PER_CLIENT` registrations, so
  every gunicorn worker has imported Django and opened its database connection before the clock
  starts. Warm-up registrations are real: they are stored and reported as ``warmup``.
* **Timed run**: then all clients start together (a barrier) and send ``N`` registrations in all
  (``registrations``); ``seconds`` runs from the barrier to the last answer, and
  ``per_second = registrations / seconds``. Latencies (``p50_ms``, ``p95_ms``, ``p99_ms``,
  nearest-rank) cover every timed request, the slow ones included; a non-201 answer or a transport
  error counts in ``errors``.
* **Stored**: afterwards the persons in the database are counted (by SQL, in a subprocess);
  with no errors ``stored == warmup + registrations`` exactly.

The clients run in this process on the same machine as the server, so on a small machine they
take some of the CPU the server could use: the figures are a floor, not a ceiling. To tell where
the time went, the run also reports the CPU time per timed registration of the gunicorn processes
(``server_cpu_ms_per_registration``), of the clients (``client_cpu_ms_per_registration``) and of
the PostgreSQL backends serving the benchmark's database (``database_cpu_ms_per_registration``;
``null`` for SQLite, which runs inside the server), and how busy the whole machine was meanwhile
(``machine_busy_percent``: any other program running counts there too). Linux only; elsewhere
these are ``null``.

Database choice: ``--backend sqlite`` uses a new temporary data folder; ``--backend postgresql``
creates ``hbm_bench_<random>`` on the server named by ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``) and drops it at the end, so a benchmark never writes into
an existing database. Set-up and counting run in subprocesses (``python -m hbm.bench.registration``)
because Django's settings are read once per process, from the environment.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from random import Random
from typing import Any

import httpx

from hbm.bench.common import (
    REQUEST_TIMEOUT_S,
    Costs,
    Meters,
    child,
    costs_between,
    database_version,
    django_setup,
    emergency_crossing_create,
    environment,
    machine_info,
    per_item_ms,
    percentile_ms,
    server,
    step_migrate,
    wait_until_serving,
)

WARMUP_PER_CLIENT = 20
STEPS = "hbm.bench.registration"  # this module, run as a subprocess for set-up and counting

# A small, plausible population: Ukrainian names in both scripts (the bench cannot import the demo).
_GIVEN_FEMALE = (("Олена", "Olena"), ("Ірина", "Iryna"), ("Тетяна", "Tetiana"), ("Марія", "Mariia"))
_GIVEN_MALE = (("Микола", "Mykola"), ("Андрій", "Andrii"), ("Іван", "Ivan"), ("Петро", "Petro"))
_SURNAMES = (("Коваленко", "Kovalenko"), ("Шевчук", "Shevchuk"), ("Бойко", "Boiko"), ("Мельник", "Melnyk"))


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    registrations: int
    clients: int
    workers: int
    threads: int
    seed: int
    worker_class: str = "gthread"


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench registration", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--registrations", type=int, default=10_000, help="timed registrations in all")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (as hbm start)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (as hbm start)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated people")
    parser.add_argument(
        "--worker-class",
        choices=("gthread", "sync"),
        default="gthread",
        help="gunicorn worker class (gthread as hbm start; sync to compare, as behind a buffering proxy)",
    )
    args = parser.parse_args(list(argv))
    if args.registrations < 1 or args.clients < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--registrations, --clients, --workers and --threads must be at least 1")
    return Options(
        args.backend,
        args.registrations,
        args.clients,
        args.workers,
        args.threads,
        args.seed,
        args.worker_class,
    )


# --- the people sent --------------------------------------------------------------------------------


def person_body(rng: Random) -> dict[str, Any]:
    """One registration: the emergency minimum data set, as a field device sends it."""
    is_female = rng.random() < 0.7
    given_original, given_latin = rng.choice(_GIVEN_FEMALE if is_female else _GIVEN_MALE)
    surname_original, surname_latin = rng.choice(_SURNAMES)
    body: dict[str, Any] = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "given_names_original": given_original,
        "surname_original": surname_original,
        "given_names_latin": given_latin,
        "surname_latin": surname_latin,
        "sex": "F" if is_female else "M",
        "nationality": "UKR",
        "languages": ["ukr", "rus"] if rng.random() < 0.4 else ["ukr"],
    }
    if rng.random() < 0.6:
        body["estimated_age"] = rng.randint(0, 85)
    else:
        body["date_of_birth"] = date(
            rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28)
        ).isoformat()
    return body


# --- the clients ----------------------------------------------------------------------------------


@dataclass(slots=True)
class ClientResult:
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    warmup_errors: int = 0
    first_error: str = ""


def _post(client: httpx.Client, path: str, body: dict[str, Any], result: ClientResult) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        response = client.post(path, json=body)
        is_created = response.status_code == 201
        problem = "" if is_created else f"HTTP {response.status_code}: {response.text[:300]}"
    except httpx.HTTPError as exc:
        is_created, problem = False, f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - started
    if problem and not result.first_error:
        result.first_error = problem
    return elapsed, is_created


def _client_run(
    base_url: str,
    token: str,
    path: str,
    bodies: list[dict[str, Any]],
    start: threading.Barrier,
    result: ClientResult,
) -> None:
    """Warm up, wait for every client, then send the timed registrations one after another."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_S) as client:
        for body in bodies[:WARMUP_PER_CLIENT]:
            _, is_created = _post(client, path, body, result)
            result.warmup_errors += not is_created
        start.wait()
        for body in bodies[WARMUP_PER_CLIENT:]:
            elapsed, is_created = _post(client, path, body, result)
            result.latencies_s.append(elapsed)
            result.errors += not is_created


def _shares(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole numbers that differ by at most one."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


@dataclass(frozen=True, slots=True)
class RunResult:
    costs: Costs
    latencies_s: list[float]
    errors: int
    warmup_errors: int
    first_error: str


def _run_result(before: Meters, after: Meters, results: list[ClientResult]) -> RunResult:
    return RunResult(
        costs=costs_between(before, after),
        latencies_s=[latency for r in results for latency in r.latencies_s],
        errors=sum(r.errors for r in results),
        warmup_errors=sum(r.warmup_errors for r in results),
        first_error=next((r.first_error for r in results if r.first_error), ""),
    )


def clients_run(
    base_url: str,
    path: str,
    tokens: list[str],
    registrations: int,
    *,
    seed: int,
    server_pid: int,
    database: str = "",
) -> RunResult:
    """Run one thread per token; the clock runs from the barrier to the last answer."""
    rng = Random(seed)
    shares = _shares(registrations, len(tokens))
    bodies = [[person_body(rng) for _ in range(WARMUP_PER_CLIENT + share)] for share in shares]
    start = threading.Barrier(len(tokens) + 1)
    results = [ClientResult() for _ in tokens]
    threads = [
        threading.Thread(target=_client_run, args=(base_url, token, path, own, start, result), daemon=True)
        for token, own, result in zip(tokens, bodies, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    before = Meters.read(server_pid, database)
    for thread in threads:
        thread.join()
    return _run_result(before, Meters.read(server_pid, database), results)


# --- the whole benchmark --------------------------------------------------------------------------


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        child(setup, STEPS, "migrate")
        fixture = json.loads(child(setup, STEPS, "setup", str(options.clients)))
        path = f"/api/crossing-points/{fixture['crossing_point']}/persons"
        with server(setup, options.workers, options.threads, options.worker_class) as running:
            policy = f"/api/crossing-points/{fixture['crossing_point']}/registration-policy"
            wait_until_serving(running, policy, headers={"Authorization": f"Bearer {fixture['tokens'][0]}"})
            run = clients_run(
                running.base_url,
                path,
                fixture["tokens"],
                options.registrations,
                seed=options.seed,
                server_pid=running.process.pid,
                database=setup.postgres_database,
            )
        stored = json.loads(child(setup, STEPS, "stored"))
    return {
        "benchmark": "registration",
        "backend": options.backend,
        "registrations": options.registrations,
        "clients": options.clients,
        "per_second": round(options.registrations / run.costs.seconds, 1),
        "p50_ms": percentile_ms(run.latencies_s, 0.50),
        "p95_ms": percentile_ms(run.latencies_s, 0.95),
        "p99_ms": percentile_ms(run.latencies_s, 0.99),
        "errors": run.errors,
        "warmup": WARMUP_PER_CLIENT * options.clients,
        "warmup_errors": run.warmup_errors,
        "stored": stored["persons"],
        "seconds": round(run.costs.seconds, 3),
        "first_error": run.first_error or None,
        "server_cpu_ms_per_registration": per_item_ms(run.costs.server_cpu_s, options.registrations),
        "client_cpu_ms_per_registration": per_item_ms(run.costs.client_cpu_s, options.registrations),
        "database_cpu_ms_per_registration": per_item_ms(run.costs.database_cpu_s, options.registrations),
        "machine_busy_percent": run.costs.machine_busy_percent,
        "server": f"gunicorn {options.worker_class} {options.workers} workers × {options.threads} threads",
        "database": stored["database"],
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --- steps run in a subprocess (python -m hbm.bench.registration STEP) ------------------------------


def _step_setup(clients: int) -> dict[str, Any]:
    """The emergency crossing point with its officer (see :func:`emergency_crossing_create`) and
    one device token per client."""
    from django.db import transaction

    from hbm.accounts.services import device_token_create
    from hbm.core.context import Actor

    with transaction.atomic():
        officer, point = emergency_crossing_create(officer_password=secrets.token_urlsafe(18))
        officer_actor = Actor(user=officer, device="cli")
        tokens = [
            device_token_create(actor=officer_actor, name=f"bench client {i + 1}").raw for i in range(clients)
        ]
    return {"crossing_point": str(point.pk), "tokens": tokens}


def _step_stored() -> dict[str, Any]:
    from django.db import connection

    from hbm.registration.models import Person

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(Person._meta.db_table)}")  # noqa: S608
        (persons,) = cursor.fetchone()
    return {"persons": int(persons), "database": database_version()}


def _step(argv: Sequence[str]) -> None:
    django_setup()
    step = argv[0]
    if step == "migrate":
        step_migrate()
    elif step == "setup":
        print(json.dumps(_step_setup(int(argv[1]))))
    elif step == "stored":
        print(json.dumps(_step_stored()))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
