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
import math
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

WARMUP_PER_CLIENT = 20
DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/"
SERVER_START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0

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


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench registration", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--registrations", type=int, default=10_000, help="timed registrations in all")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (as hbm start)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (as hbm start)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated people")
    args = parser.parse_args(list(argv))
    if args.registrations < 1 or args.clients < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--registrations, --clients, --workers and --threads must be at least 1")
    return Options(args.backend, args.registrations, args.clients, args.workers, args.threads, args.seed)


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


# --- the database and the server ------------------------------------------------------------------


@dataclass(slots=True)
class Environment:
    """The benchmark's own data folder and database, and the environment its processes run in."""

    data_dir: Path
    env: dict[str, str]
    backend: str
    postgres_server: str = ""
    postgres_database: str = ""
    log: list[str] = field(default_factory=list)


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HBM_") and k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "hbm.config.settings",
            "HBM_DATA_DIR": str(data_dir),
            "HBM_ALLOWED_HOSTS": "127.0.0.1",
            "HBM_DEBUG": "0",
            "HBM_DEMO": "0",
        }
    )
    return env


def _postgres_url(server: str, database: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _postgres_database_command(server: str, verb: str, database: str) -> None:
    """``CREATE DATABASE`` or ``DROP DATABASE … WITH (FORCE)`` (gunicorn may still hold a connection)."""
    import psycopg
    from psycopg import sql

    statement = (
        sql.SQL("CREATE DATABASE {}")
        if verb == "create"
        else sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    ).format(sql.Identifier(database))
    with psycopg.connect(_postgres_url(server, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


@contextmanager
def environment(backend: str) -> Iterator[Environment]:
    """A fresh data folder and database for one run; both removed afterwards, whatever happens."""
    data_dir = Path(tempfile.mkdtemp(prefix="hbm-bench-"))
    env = _base_env(data_dir)
    setup = Environment(data_dir=data_dir, env=env, backend=backend)
    try:
        if backend == "postgresql":
            setup.postgres_server = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES_SERVER
            database = f"hbm_bench_{secrets.token_hex(4)}"
            _postgres_database_command(setup.postgres_server, "create", database)
            setup.postgres_database = database
            env["DATABASE_URL"] = _postgres_url(setup.postgres_server, database)
        yield setup
    finally:
        if setup.postgres_database:
            _postgres_database_command(setup.postgres_server, "drop", setup.postgres_database)
        shutil.rmtree(data_dir, ignore_errors=True)


def _child(setup: Environment, *args: str) -> str:
    """Run a step of this module in a subprocess configured by ``setup``; its stdout."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", "hbm.bench.registration", *args],
        env=setup.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`{' '.join(args)}` failed:\n{done.stderr[-4000:]}")
    return done.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(slots=True)
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


@contextmanager
def server(setup: Environment, workers: int, threads: int) -> Iterator[Server]:
    """gunicorn serving HBM on a free loopback port; stopped (SIGTERM, then SIGKILL) on exit."""
    port = _free_port()
    log_path = setup.data_dir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "hbm.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=setup.env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    running = Server(process=process, base_url=f"http://127.0.0.1:{port}", log_path=log_path)
    try:
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(running: Server, url: str, token: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {running.process.returncode}:\n{running.log_tail()}")
        try:
            if httpx.get(running.base_url + url, headers=headers, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn did not answer within {SERVER_START_TIMEOUT_S:.0f} s:\n{running.log_tail()}"
    )


@dataclass(frozen=True, slots=True)
class ProcessCpu:
    pid: int
    parent_pid: int
    cpu_s: float
    command: str


def _processes() -> list[ProcessCpu] | None:
    """Every process with the CPU time (user + system) it used so far (Linux ``/proc``; else ``None``)."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    found = []
    for process_dir in proc.glob("[0-9]*"):
        try:
            # The command name (field 2) may hold spaces: split after its closing parenthesis.
            fields = (process_dir / "stat").read_text().rsplit(")", 1)[1].split()
            command = (process_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue  # it ended while we looked
        cpu_s = (int(fields[11]) + int(fields[12])) / tick
        found.append(ProcessCpu(int(process_dir.name), int(fields[1]), cpu_s, command))
    return found


def _cpu_of_server(processes: list[ProcessCpu] | None, server_pid: int) -> float | None:
    """The gunicorn master and its workers."""
    if processes is None:
        return None
    return sum(p.cpu_s for p in processes if server_pid in (p.pid, p.parent_pid))


def _cpu_of_database(processes: list[ProcessCpu] | None, database: str) -> float | None:
    """The PostgreSQL backends serving ``database`` (their title names it); ``None`` for SQLite,
    which runs inside the server's processes."""
    if processes is None or not database:
        return None
    return sum(
        p.cpu_s for p in processes if p.command.startswith("postgres:") and f" {database} " in p.command
    )


def _machine_cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all CPUs since boot, from ``/proc/stat`` (Linux; else ``None``)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + waiting for I/O
    return sum(fields) - idle, sum(fields)


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
class Meters:
    """Readings taken at the start and the end of the timed run; their difference is the cost."""

    wall_s: float
    client_cpu_s: float
    server_cpu_s: float | None
    database_cpu_s: float | None
    machine_ticks: tuple[int, int] | None

    @classmethod
    def read(cls, server_pid: int, database: str) -> Meters:
        processes = _processes()
        return cls(
            wall_s=time.perf_counter(),
            client_cpu_s=time.process_time(),
            server_cpu_s=_cpu_of_server(processes, server_pid),
            database_cpu_s=_cpu_of_database(processes, database),
            machine_ticks=_machine_cpu_ticks(),
        )


@dataclass(frozen=True, slots=True)
class RunResult:
    """``machine_busy_percent``: how busy all CPUs were during the run, whoever used them (the
    server, the clients, the database server, anything else running on the machine)."""

    seconds: float
    client_cpu_s: float
    server_cpu_s: float | None
    database_cpu_s: float | None
    machine_busy_percent: float | None
    latencies_s: list[float]
    errors: int
    warmup_errors: int
    first_error: str


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def _run_result(before: Meters, after: Meters, results: list[ClientResult]) -> RunResult:
    busy = None
    if before.machine_ticks and after.machine_ticks and after.machine_ticks[1] > before.machine_ticks[1]:
        busy_ticks = after.machine_ticks[0] - before.machine_ticks[0]
        busy = round(100 * busy_ticks / (after.machine_ticks[1] - before.machine_ticks[1]), 1)
    return RunResult(
        seconds=after.wall_s - before.wall_s,
        client_cpu_s=after.client_cpu_s - before.client_cpu_s,
        server_cpu_s=_difference(before.server_cpu_s, after.server_cpu_s),
        database_cpu_s=_difference(before.database_cpu_s, after.database_cpu_s),
        machine_busy_percent=busy,
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


def percentile_ms(latencies_s: list[float], fraction: float) -> float:
    """Nearest-rank percentile in milliseconds (the smallest value with ``fraction`` at or below it)."""
    ordered = sorted(latencies_s)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1] * 1000, 2)


# --- the whole benchmark --------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def _per_registration_ms(cpu_seconds: float | None, registrations: int) -> float | None:
    return None if cpu_seconds is None else round(cpu_seconds / registrations * 1000, 2)


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        _child(setup, "migrate")
        fixture = json.loads(_child(setup, "setup", str(options.clients)))
        path = f"/api/crossing-points/{fixture['crossing_point']}/persons"
        with server(setup, options.workers, options.threads) as running:
            policy = f"/api/crossing-points/{fixture['crossing_point']}/registration-policy"
            _wait_until_serving(running, policy, fixture["tokens"][0])
            run = clients_run(
                running.base_url,
                path,
                fixture["tokens"],
                options.registrations,
                seed=options.seed,
                server_pid=running.process.pid,
                database=setup.postgres_database,
            )
        stored = json.loads(_child(setup, "stored"))
    return {
        "benchmark": "registration",
        "backend": options.backend,
        "registrations": options.registrations,
        "clients": options.clients,
        "per_second": round(options.registrations / run.seconds, 1),
        "p50_ms": percentile_ms(run.latencies_s, 0.50),
        "p95_ms": percentile_ms(run.latencies_s, 0.95),
        "p99_ms": percentile_ms(run.latencies_s, 0.99),
        "errors": run.errors,
        "warmup": WARMUP_PER_CLIENT * options.clients,
        "warmup_errors": run.warmup_errors,
        "stored": stored["persons"],
        "seconds": round(run.seconds, 2),
        "first_error": run.first_error or None,
        "server_cpu_ms_per_registration": _per_registration_ms(run.server_cpu_s, options.registrations),
        "client_cpu_ms_per_registration": _per_registration_ms(run.client_cpu_s, options.registrations),
        "database_cpu_ms_per_registration": _per_registration_ms(run.database_cpu_s, options.registrations),
        "machine_busy_percent": run.machine_busy_percent,
        "server": f"gunicorn gthread {options.workers} workers × {options.threads} threads",
        "database": stored["database"],
        "machine": _machine(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --- steps run in a subprocess (python -m hbm.bench.registration STEP) ------------------------------


def _django() -> None:
    import django

    django.setup()


def _step_migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)


def _step_setup(clients: int) -> dict[str, Any]:
    """An organisation, an officer and a coordinator, a crossing point switched to emergency by
    the coordinator with the officer posted there, and one device token per client."""
    from decimal import Decimal

    from django.db import transaction

    from hbm.accounts.enums import OrganisationKind, Role
    from hbm.accounts.models import Organisation
    from hbm.accounts.services import device_token_create, user_create
    from hbm.core.context import Actor
    from hbm.crossings.enums import CrossingKind, CrossingMode
    from hbm.crossings.services import crossing_mode_switch, crossing_point_assign, crossing_point_create

    with transaction.atomic():
        operator = Organisation.objects.create(
            name="Benchmark Border Police", kind=OrganisationKind.BORDER_AGENCY, country="MDA"
        )
        officer, coordinator = (
            user_create(
                actor=None,
                username=f"bench.{role.value}",
                password=secrets.token_urlsafe(18),
                role=role,
                organisation=operator,
            )
            for role in (Role.BORDER_OFFICER, Role.COORDINATOR)
        )
        point = crossing_point_create(
            actor=None,
            code="BENCH",
            name="Benchmark crossing",
            kind=CrossingKind.LAND,
            latitude=Decimal("46.40980"),
            longitude=Decimal("30.08520"),
            neighbouring_country="UKR",
            normal_daily_capacity=1500,
            operator=operator,
            timezone="Europe/Chisinau",
        )
        crossing_point_assign(crossing_point=point, users=[officer])
        crossing_mode_switch(
            actor=Actor(user=coordinator, device="cli"),
            crossing_point_id=point.pk,
            to_mode=CrossingMode.EMERGENCY,
            reason="benchmark of emergency registration",
        )
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
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        (version,) = cursor.fetchone()
    return {"persons": int(persons), "database": f"{connection.vendor} {version}"}


def _step(argv: Sequence[str]) -> None:
    _django()
    step = argv[0]
    if step == "migrate":
        _step_migrate()
    elif step == "setup":
        print(json.dumps(_step_setup(int(argv[1]))))
    elif step == "stored":
        print(json.dumps(_step_stored()))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
