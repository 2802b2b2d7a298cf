"""What every HTTP benchmark shares: a throwaway data folder and database, gunicorn on loopback,
CPU meters read from ``/proc``, nearest-rank percentiles, the machine's description, and the steps
run in a configured subprocess (migrate, the emergency crossing point every benchmark registers at).

Set-up and counting run in subprocesses (``python -m hbm.bench.<name> STEP``) because Django's
settings are read once per process, from the environment: the benchmark's own process never
imports Django's settings, and each step sees the benchmark's database.
"""

from __future__ import annotations

import math
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx

if TYPE_CHECKING:
    from hbm.accounts.models import User
    from hbm.crossings.models import CrossingPoint

DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/"
SERVER_START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0


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
    """A fresh data folder and database for one run; both removed afterwards, whatever happens.

    ``sqlite``: a new temporary data folder. ``postgresql``: ``hbm_bench_<random>`` created on the
    server named by ``DATABASE_URL`` (default :data:`DEFAULT_POSTGRES_SERVER`) and dropped at the
    end, so a benchmark never writes into an existing database.
    """
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


def child(setup: Environment, module: str, *args: str) -> str:
    """Run ``python -m module *args`` in a subprocess configured by ``setup``; its stdout.

    Raises ``RuntimeError`` with the end of its stderr when it fails.
    """
    done = subprocess.run(  # noqa: S603 - our own interpreter and module, fixed arguments
        [sys.executable, "-m", module, *args],
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
def server(setup: Environment, workers: int, threads: int, worker_class: str = "gthread") -> Iterator[Server]:
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
        worker_class,
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


def wait_until_serving(
    running: Server, url: str, *, headers: Mapping[str, str] | None = None, ready: int = 200
) -> None:
    """Poll ``url`` until it answers ``ready``; ``RuntimeError`` with gunicorn's log if it exits or
    does not answer within :data:`SERVER_START_TIMEOUT_S`."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {running.process.returncode}:\n{running.log_tail()}")
        try:
            if httpx.get(running.base_url + url, headers=headers, timeout=2).status_code == ready:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"gunicorn did not answer within {SERVER_START_TIMEOUT_S:.0f} s:\n{running.log_tail()}"
    )


# --- CPU meters -------------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class Meters:
    """Readings taken at the start and the end of a timed run; their difference is the cost."""

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
class Costs:
    """What a timed run cost: wall time, CPU of each side, and how busy all CPUs were meanwhile
    (``machine_busy_percent``: whoever used them, anything else running on the machine included)."""

    seconds: float
    client_cpu_s: float
    server_cpu_s: float | None
    database_cpu_s: float | None
    machine_busy_percent: float | None


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def costs_between(before: Meters, after: Meters) -> Costs:
    busy = None
    if before.machine_ticks and after.machine_ticks and after.machine_ticks[1] > before.machine_ticks[1]:
        busy_ticks = after.machine_ticks[0] - before.machine_ticks[0]
        busy = round(100 * busy_ticks / (after.machine_ticks[1] - before.machine_ticks[1]), 1)
    return Costs(
        seconds=after.wall_s - before.wall_s,
        client_cpu_s=after.client_cpu_s - before.client_cpu_s,
        server_cpu_s=_difference(before.server_cpu_s, after.server_cpu_s),
        database_cpu_s=_difference(before.database_cpu_s, after.database_cpu_s),
        machine_busy_percent=busy,
    )


def per_item_ms(cpu_seconds: float | None, items: int) -> float | None:
    """CPU milliseconds per item, rounded to 0.01 ms; ``None`` where the meter could not be read."""
    return None if cpu_seconds is None or items == 0 else round(cpu_seconds / items * 1000, 2)


# --- figures ----------------------------------------------------------------------------------------


def percentile_ms(latencies_s: list[float], fraction: float) -> float:
    """Nearest-rank percentile in milliseconds (the smallest value with ``fraction`` at or below it)."""
    ordered = sorted(latencies_s)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return round(ordered[rank - 1] * 1000, 2)


def machine_info() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


# --- steps run in a configured subprocess -------------------------------------------------------------


def django_setup() -> None:
    import django

    django.setup()


def step_migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)


def database_version() -> str:
    """``"sqlite 3.40.1"`` or ``"postgresql 15.20"``: the database the step is connected to."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        (version,) = cursor.fetchone()
    return f"{connection.vendor} {version}"


def emergency_crossing_create(*, officer_password: str) -> tuple[User, CrossingPoint]:
    """An organisation, a border officer and a coordinator, and a crossing point switched to
    emergency by the coordinator with the officer posted there. Runs in the caller's transaction."""
    from decimal import Decimal

    from hbm.accounts.enums import OrganisationKind, Role
    from hbm.accounts.models import Organisation
    from hbm.accounts.services import user_create
    from hbm.core.context import Actor
    from hbm.crossings.enums import CrossingKind, CrossingMode
    from hbm.crossings.services import crossing_mode_switch, crossing_point_assign, crossing_point_create

    operator = Organisation.objects.create(
        name="Benchmark Border Police", kind=OrganisationKind.BORDER_AGENCY, country="MDA"
    )
    officer, coordinator = (
        user_create(
            actor=None, username=f"bench.{role.value}", password=password, role=role, organisation=operator
        )
        for role, password in (
            (Role.BORDER_OFFICER, officer_password),
            (Role.COORDINATOR, secrets.token_urlsafe(18)),
        )
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
    return officer, point
