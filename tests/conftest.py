"""Shared fixtures: a crossing point in emergency mode with its staff, and API clients per role."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from django.test import Client

    from hbm.accounts.models import User
    from hbm.core.context import Actor
    from hbm.crossings.models import CrossingPoint

# Django is imported inside the fixtures, not here: tests/engines must run with no Django at all
# (`pytest tests/engines -p no:django`).

# The browser fixtures (one Chromium per test process, session-scoped) are registered once, here,
# for every folder that drives a browser: a module importing them would start a second Playwright
# in the same process, which Playwright refuses.
pytest_plugins = ["tests.browser.fixtures"]


@pytest.fixture(autouse=True)
def _fast_hashing_and_hosts(request: pytest.FixtureRequest) -> None:
    # Argon2 is the production hasher (tested in tests/accounts); tests of everything else
    # should not spend a second per login on it.
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]


@pytest.fixture(autouse=True)
def _english_after_each_test(request: pytest.FixtureRequest) -> Any:
    """Services translate their messages in the active language, and Django's locale middleware
    leaves the last request's language active: reset it so no test inherits another's language."""
    yield
    if request.config.pluginmanager.hasplugin("django"):
        from django.utils import translation

        translation.activate("en")


@pytest.fixture(autouse=True)
def _audit_rows_flushable_between_transactional_tests(request: pytest.FixtureRequest) -> Any:
    """Transactional tests (live server, concurrency) end with a flush of every table, which the
    append-only triggers rightly refuse: lift them for that flush only, restore them before."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    from django.db import connection

    from hbm.audit.triggers import append_only_disable, append_only_enable

    request.getfixturevalue("transactional_db")
    append_only_enable(connection)
    yield
    append_only_disable(connection)


@pytest.fixture
def border_agency() -> Any:
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="State Border Police")


@pytest.fixture
def crossing_point(border_agency: Any) -> CrossingPoint:
    """A land crossing already switched to emergency mode."""
    from tests.factories import CrossingPointFactory

    return CrossingPointFactory(code="PAL", name="Palanca", operator=border_agency)


@pytest.fixture
def other_crossing_point(border_agency: Any) -> CrossingPoint:
    from tests.factories import CrossingPointFactory

    return CrossingPointFactory(code="OTA", name="Otaci", operator=border_agency)


@pytest.fixture
def make_user(crossing_point: CrossingPoint) -> Callable[..., User]:
    """A user of a role, posted at ``crossing_point`` unless ``posted=False``."""
    from tests.factories import UserFactory

    def make(role: str, *, posted: bool = True, organisation: Any = None, **kwargs: Any) -> User:
        user: User = UserFactory(role=role, organisation=organisation or crossing_point.operator, **kwargs)
        if posted:
            crossing_point.staff.add(user)
        return user

    return make


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("border_officer", username="officer")


@pytest.fixture
def screener(make_user: Callable[..., User]) -> User:
    return make_user("screening_officer", username="screener")


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user("coordinator", username="coordinator", posted=False)


@pytest.fixture
def actor(officer: User) -> Actor:
    from hbm.core.context import Actor

    return Actor(user=officer, device="test")


def client_for(user: User | None) -> Client:
    """A browser-session client signed in as ``user`` (anonymous for ``None``)."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api() -> Callable[[User | None], Client]:
    return client_for


def pytest_report_header() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'postgresql' if url.startswith('postgres') else 'sqlite'}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_a_worker(address: str, seconds: float = 60) -> None:
    """Until the scheduler listens and a worker has joined it (each takes a moment to start)."""
    from distributed import Client

    deadline = time.monotonic() + seconds
    while True:
        try:
            with Client(address, timeout="5s") as client:  # type: ignore[no-untyped-call]
                client.wait_for_workers(1, timeout=max(deadline - time.monotonic(), 1))
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture
def dask_scheduler_apart() -> Iterator[str]:
    """A ``dask scheduler`` and one ``dask worker``, each its own process, as an operator starts them."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    dask = [sys.executable, "-m", "dask"]
    null = subprocess.DEVNULL
    scheduler = subprocess.Popen(
        [*dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
        stdout=null,
        stderr=null,
    )
    worker = subprocess.Popen(
        [*dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
        stdout=null,
        stderr=null,
    )
    try:
        _wait_for_a_worker(address)
        yield address
    finally:
        for process in (worker, scheduler):
            process.terminate()
        for process in (worker, scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
