"""Several duplicate checkers at once: each person is checked by one of them, once; a claim left by a
checker that stopped expires; a person changed while being checked is checked again."""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import F
from PIL import Image

from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.audit.selectors import audit_chain_verify
from hbm.core.context import Actor
from hbm.core.time import now
from hbm.dedup import services
from hbm.dedup.models import MatchCandidate
from hbm.dedup.services import dedup_pending_claim, dedup_pending_process
from hbm.registration.models import Person
from hbm.registration.services import person_photo_set

WORKERS = 2
# Ten people registered twice under another spelling, and ten registered once.
TWICE = [
    ("Mohammed", "Al-Hassan", "Muhammad", "Alhassan"),
    ("Oleksandr", "Kovalenko", "Aleksandr", "Kovalenko"),
    ("Yusuf", "Haddad", "Youssef", "Haddad"),
    ("Fatima", "Rahimi", "Fatemeh", "Rahimi"),
    ("Abdulrahman", "Nasser", "Abd al Rahman", "Nasser"),
    ("Tesfaye", "Gebremedhin", "Tesfay", "Gebremedhin"),
    ("Olena", "Shevchenko", "Elena", "Shevchenko"),
    ("Hussein", "Jaber", "Husain", "Jaber"),
    ("Mariam", "Yousef", "Maryam", "Yusuf"),
    ("Ahmad", "Karimi", "Ahmed", "Karimi"),
]
ONCE = [
    ("Nadia", "Petrenko"),
    ("Samir", "Khalil"),
    ("Aster", "Tadesse"),
    ("Dmytro", "Bondar"),
    ("Leila", "Mansour"),
    ("Farid", "Noori"),
    ("Rima", "Saleh"),
    ("Bogdan", "Lysenko"),
    ("Selam", "Haile"),
    ("Karim", "Aziz"),
]


def _population(register: Callable[..., Person]) -> list[Person]:
    persons: list[Person] = []
    for n, (given, surname, given_again, surname_again) in enumerate(TWICE):
        born = date(1970 + n, 1 + n, 10 + n)
        persons.append(register(given, surname, date_of_birth=born))
        persons.append(register(given_again, surname_again, date_of_birth=born))
    for n, (given, surname) in enumerate(ONCE):
        persons.append(register(given, surname, date_of_birth=date(1950 + 2 * n, 12 - n, 1 + n)))
    return persons


def _run_together(work: Callable[[], list[uuid.UUID]]) -> tuple[list[list[uuid.UUID]], list[BaseException]]:
    """Run ``work`` in WORKERS threads released together, each on its own database connection."""
    barrier = threading.Barrier(WORKERS)
    done: list[list[uuid.UUID]] = [[] for _ in range(WORKERS)]
    errors: list[BaseException] = []

    def run(slot: int) -> None:
        try:
            barrier.wait()
            done[slot] = work()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return done, errors


def _worker_loop() -> list[uuid.UUID]:
    """What ``hbm dedup work`` does, with small batches so that the two workers interleave."""
    checked: list[uuid.UUID] = []
    while outcomes := dedup_pending_process(limit=3):
        checked.extend(o.person_id for o in outcomes)
    return checked


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_check_every_person_exactly_once(
    register: Callable[..., Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "CLAIM_BATCH", 2)
    persons = _population(register)

    done, errors = _run_together(_worker_loop)

    assert errors == []
    checked = done[0] + done[1]
    assert sorted(checked, key=str) == sorted((p.pk for p in persons), key=str)  # none twice, none left
    assert all(done), "both workers took part"
    assert not Person.objects.filter(dedup_checked_at__isnull=True).exists()
    assert not Person.objects.filter(dedup_claimed_until__isnull=False).exists()
    pairs = set(MatchCandidate.objects.values_list("person_low_id", "person_high_id"))
    twice = {
        tuple(sorted((persons[2 * n].pk, persons[2 * n + 1].pk), key=lambda pk: pk.hex))
        for n in range(len(TWICE))
    }
    assert pairs == twice
    assert AuditEntry.objects.filter(event=AuditEvent.DUPLICATE_FOUND).count() == len(TWICE)
    assert audit_chain_verify().is_intact


@pytest.mark.django_db(transaction=True)
def test_a_worker_claiming_passes_by_the_persons_another_is_claiming(register: Callable[..., Person]) -> None:
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SQLite has one writer at a time: claims cannot overlap there")
    persons = [register(given, surname) for given, surname in ONCE[:5]]
    locked = threading.Event()
    release = threading.Event()

    def other_worker_mid_claim() -> None:
        try:
            with transaction.atomic():
                oldest = Person.objects.filter(pk__in=[p.pk for p in persons[:2]]).select_for_update()
                list(oldest)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    other = threading.Thread(target=other_worker_mid_claim)
    other.start()
    try:
        assert locked.wait(timeout=30)
        claimed = dedup_pending_claim(limit=10)  # does not wait for the other worker's transaction
    finally:
        release.set()
        other.join(timeout=30)

    assert claimed == [p.pk for p in persons[2:]]


@pytest.mark.django_db
def test_a_claim_left_by_a_stopped_worker_expires_and_the_person_is_checked(
    register: Callable[..., Person],
) -> None:
    stopped, running, waiting = (register(given, surname) for given, surname in ONCE[:3])
    Person.objects.filter(pk=stopped.pk).update(dedup_claimed_until=now() - timedelta(seconds=1))
    Person.objects.filter(pk=running.pk).update(dedup_claimed_until=now() + timedelta(minutes=5))

    first = dedup_pending_process()
    Person.objects.filter(pk=running.pk).update(dedup_claimed_until=now() - timedelta(seconds=1))
    second = dedup_pending_process()

    assert [o.person_id for o in first] == [stopped.pk, waiting.pk]
    assert [o.person_id for o in second] == [running.pk]
    assert not Person.objects.filter(dedup_checked_at__isnull=True).exists()
    assert not Person.objects.filter(dedup_claimed_until__isnull=False).exists()


def _faceless_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (128, 128, 128)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["details", "photo"])
def test_a_person_changed_while_being_checked_is_checked_again(
    change: str, register: Callable[..., Person], actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = register("Mohammed", "Al-Hassan")
    original = services._candidates_record
    changes = []

    def change_during_the_check(*args: object) -> int:
        if not changes:
            changes.append(change)
            if change == "details":  # as an edit synced from the field app does
                Person.objects.filter(pk=person.pk).update(
                    given_names_latin="Mohamed", version=F("version") + 1, dedup_checked_at=None
                )
            else:  # a new photo keeps the version
                person_photo_set(actor=actor, person=Person.objects.get(pk=person.pk), data=_faceless_jpeg())
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_candidates_record", change_during_the_check)

    first, second = dedup_pending_process()  # its claim ended: the same batch takes it again

    assert first.person_id == second.person_id == person.pk
    assert (first.face, second.face) == (("none", "none") if change == "details" else ("none", "no_face"))
    checked = Person.objects.get(pk=person.pk)
    assert checked.dedup_checked_at is not None
    assert checked.dedup_claimed_until is None
    assert dedup_pending_process() == []
