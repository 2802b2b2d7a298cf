"""``hbm bench sync``: a field device's outbox of individual registrations, synced as the app does.

What is measured: one device, enrolled the way the field app enrols (``POST /api/field/enrol`` as a
border officer posted to one crossing point in emergency mode), fetches ``/api/field/reference``
and records ``N`` individual registrations offline into its outbox (names in their own script and
in Latin letters from the demo's name pools, sex, an estimated age, a birth year or a date of
birth, nationality, languages; some with specific needs, some with a passport or identity card
and its MRZ; one seeded ``random.Random``). Then it syncs them to gunicorn on loopback the way the
app does: batches of at most ``limits.batch_max_records`` records and ``limits.batch_max_bytes``
bytes, one after another, each with a fresh ``Idempotency-Key`` kept with the batch before it is
sent; a network error resends the same key and the same bytes; ``stored`` / ``already_stored`` /
``merged`` / ``conflict`` take a record out of the outbox, ``rejected`` keeps it there (counted in
``rejected``, not sent again: an officer must fix it). After the last batch the device reports its
outbox size with a batch of zero records, as the app does after each sync.

* **Clock**: ``seconds`` runs from the first batch to the answer of that report;
  ``records_per_second = records / seconds``. ``p50_batch_ms`` / ``p95_batch_ms`` (nearest rank)
  are per batch, from its first sending to its accepted answer, retries included. Enrolment, the
  reference data, making the outbox and a warm-up (:data:`WARMUP_REPORTS_PER_WORKER` zero-record
  reports per gunicorn worker, each on a new connection, so every worker has opened its database
  before the clock starts) are not timed.
* **Faults** (``--fault-every K``): every ``K``-th sync request is processed by the server, which
  answers; the client reads the status line, then closes the connection without reading the body,
  as when a network fails on the way back. The app's retry path (same key, same body → the stored
  answer, ``replayed: true``) is then part of the measure: ``faults_injected``, ``retries`` and
  ``replayed`` say how often.
* **Exactly once**, counted by SQL in a subprocess after the server stopped (``{person}`` is the
  persons table, ``bench_outbox`` a temporary table of the ``N`` outbox ids)::

      rows      = SELECT COUNT(*) FROM {person} p JOIN bench_outbox o ON o.id = p.id
      found     = SELECT COUNT(DISTINCT p.id) FROM {person} p JOIN bench_outbox o ON o.id = p.id
      persons   = SELECT COUNT(*) FROM {person}

  ``lost = N - found`` (outbox ids not in the database); ``duplicates = (rows - found) +
  (persons - found)``: rows stored more than once under an outbox id, plus persons that are not
  outbox records at all (the database is new and the fixture makes no persons, so any such row is
  a sync artefact, such as a replay stored under a new id). ``stored = found``. Also counted: the
  individual encounters and the ``person_registered`` audit entries of outbox persons; each must
  be exactly one per person (``duplicate_encounters``, ``duplicate_audit_entries``).

CPU per record of the gunicorn processes, of this process (the device) and of the PostgreSQL
backends is reported as in ``hbm bench registration`` (see :mod:`hbm.bench.common`).
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
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
from hbm.demo.names import NAME_POOLS, UKRAINIAN_PLACES_OF_BIRTH, NamePool
from hbm.demo.scenario import DOCUMENT_SHARE, NATIONALITY_WEIGHTS
from hbm.engines.mrz import build_td1, build_td3

STEPS = "hbm.bench.sync"  # this module, run as a subprocess for set-up and counting
APP_VERSION = "bench-sync"
SYNC_PATH = "/api/field/sync"
WARMUP_REPORTS_PER_WORKER = 2
MAX_ATTEMPTS = 8
RETRY_PAUSE_S = 0.05
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
SERVER_HAS_IT = frozenset({"stored", "already_stored", "merged", "conflict"})
SECONDS_BETWEEN_REGISTRATIONS = 2  # the outbox covers the last N × 2 s of an officer's shift


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    records: int
    fault_every: int
    workers: int
    threads: int
    seed: int


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench sync", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--records", type=int, default=10_000, help="registrations in the outbox")
    parser.add_argument(
        "--fault-every",
        type=int,
        default=0,
        metavar="K",
        help="drop the answer to every K-th sync request after the server processed it (0: never)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (as hbm start)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (as hbm start)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the registrations in the outbox")
    args = parser.parse_args(list(argv))
    if args.records < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--records, --workers and --threads must be at least 1")
    if args.fault_every == 1 or args.fault_every < 0:
        parser.error("--fault-every must be 0 (no faults) or at least 2 (a retry must get through)")
    return Options(args.backend, args.records, args.fault_every, args.workers, args.threads, args.seed)


# --- what the device knows after enrolment --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    token: str
    crossing_point: str


@dataclass(frozen=True, slots=True)
class Reference:
    """The parts of ``/api/field/reference`` the outbox and the sync use."""

    nationalities: frozenset[str]
    languages: frozenset[str]
    specific_needs: frozenset[str]
    no_document_reasons: tuple[str, ...]
    person_fields: frozenset[str]
    exactly_one: tuple[tuple[str, ...], ...]
    batch_max_records: int
    batch_max_bytes: int


def _values(choices: list[dict[str, str]]) -> tuple[str, ...]:
    return tuple(choice["value"] for choice in choices)


def reference_of(body: dict[str, Any]) -> Reference:
    person = body["schemas"]["person"]
    return Reference(
        nationalities=frozenset(n["code"] for n in body["nationalities"]),
        languages=frozenset(body.get("language_codes", ())) | {n["code"] for n in body["languages"]},
        specific_needs=frozenset(_values(body["choices"]["specific_need"])),
        no_document_reasons=_values(body["choices"]["no_document_reason"]),
        person_fields=frozenset(person["properties"]),
        exactly_one=tuple(tuple(group) for group in person.get("x-hbm-exactly-one", ())),
        batch_max_records=int(body["limits"]["batch_max_records"]),
        batch_max_bytes=int(body["limits"]["batch_max_bytes"]),
    )


def device_enrol(client: httpx.Client, *, username: str, password: str) -> Device:
    """``POST /api/field/enrol`` as the app does at its one online sign-in."""
    response = client.post(
        "/api/field/enrol",
        json={"username": username, "password": password, "device_name": "bench", "app_version": APP_VERSION},
    )
    if response.status_code != 201:
        raise RuntimeError(f"enrolment refused: HTTP {response.status_code}: {response.text[:500]}")
    body = response.json()
    return Device(device_id=body["device_id"], token=body["token"], crossing_point=body["crossing_points"][0])


def reference_fetch(client: httpx.Client, device: Device) -> Reference:
    response = client.get("/api/field/reference", params={"lang": "en"}, headers=_auth(device))
    if response.status_code != 200:
        raise RuntimeError(f"reference data refused: HTTP {response.status_code}: {response.text[:500]}")
    return reference_of(response.json())


def _auth(device: Device) -> dict[str, str]:
    return {"Authorization": f"Bearer {device.token}"}


# --- the registrations an officer makes offline -----------------------------------------------------

# Ages of people crossing in a mass arrival: (youngest, oldest, share).
_AGES: tuple[tuple[int, int, float], ...] = ((0, 17, 0.38), (18, 59, 0.47), (60, 90, 0.15))


def _nationality_draw(rng: Random, reference: Reference) -> str:
    known = [(code, weight) for code, weight in NATIONALITY_WEIGHTS if code in reference.nationalities]
    return rng.choices([code for code, _ in known], weights=[weight for _, weight in known])[0]


def _age_draw(rng: Random) -> int:
    youngest, oldest, _ = rng.choices(_AGES, weights=[share for _, _, share in _AGES])[0]
    return rng.randint(youngest, oldest)


def _birth_fields(rng: Random, *, age: int, today: date, has_document: bool) -> dict[str, Any]:
    """Exactly one of date of birth, birth year, estimated age: the document's date when there is
    one, else mostly an estimate, as an officer records people without papers."""
    born = today - timedelta(days=age * 365 + rng.randint(0, 364))
    draw = 1.0 if has_document else rng.random()
    if draw < 0.55:
        spread = 1 if age < 18 else 3
        return {"estimated_age": max(0, age + rng.randint(-spread, spread))}
    if draw < 0.75:
        return {"birth_year": born.year}
    return {"date_of_birth": born.isoformat()}


def _document(
    rng: Random, *, nationality: str, surname: str, given: str, sex: str, born: date, today: date
) -> dict[str, Any]:
    """A passport (TD3) or, for some Ukrainian adults, an identity card (TD1), read by its MRZ;
    about one in eight expired (never a reason to refuse registration)."""
    is_id_card = nationality == "UKR" and rng.random() < 0.4
    expiry = today + timedelta(days=rng.randint(-2000, -30) if rng.random() < 0.12 else rng.randint(60, 3600))
    number = ("" if is_id_card else "F") + "".join(rng.choice("0123456789") for _ in range(8))
    build = partial(build_td1, document_type="ID") if is_id_card else build_td3
    mrz = build(
        issuing_state=nationality,
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=nationality,
        date_of_birth=born,
        sex=sex,
        date_of_expiry=expiry,
    )
    return {"kind": "identity_card" if is_id_card else "passport", "mrz": mrz}


def _specific_needs(rng: Random, *, age: int, sex: str, reference: Reference) -> list[str]:
    """Quick flags an officer ticks at registration; about one person in six has one."""
    needs = []
    if age < 18 and rng.random() < 0.03:
        needs.append("unaccompanied_child")
    if age >= 60 and rng.random() < 0.25:
        needs.append("older_person_at_risk")
    if sex == "F" and 18 <= age <= 45 and rng.random() < 0.08:
        needs.append("pregnant_or_lactating")
    if rng.random() < 0.03:
        needs.append("serious_medical_condition")
    if rng.random() < 0.02:
        needs.append("disability")
    return [need for need in needs if need in reference.specific_needs]


def _names(pool: NamePool, rng: Random, *, sex: str, age: int) -> dict[str, str]:
    """Names as written in their own script and in Latin letters (the original left empty where it
    is already in Latin letters)."""
    given = pool.given(rng, sex, age)
    family = pool.family_name(rng).for_sex(sex)
    return {
        "given_names_original": given.original if given.original != given.latin else "",
        "surname_original": family.original if family.original != family.latin else "",
        "given_names_latin": given.latin,
        "surname_latin": family.latin,
    }


def person_payload(
    rng: Random, reference: Reference, *, today: date, occurred_at: datetime
) -> dict[str, Any]:
    """One individual registration as the app stores it (``PersonIn`` without its id)."""
    nationality = _nationality_draw(rng, reference)
    pool = NAME_POOLS[nationality]
    sex = "F" if rng.random() < 0.62 else "M"
    age = _age_draw(rng)
    names = _names(pool, rng, sex=sex, age=age)
    adults_share, children_share = DOCUMENT_SHARE.get(nationality, (0.0, 0.0))
    has_document = rng.random() < (children_share if age < 18 else adults_share)
    payload: dict[str, Any] = {
        **names,
        "sex": sex,
        **_birth_fields(rng, age=age, today=today, has_document=has_document),
        "nationality": nationality,
        "languages": [code for code in pool.languages_draw(rng) if code in reference.languages],
        "encounter": {"direction": "entry", "transport": "land", "occurred_at": occurred_at.isoformat()},
    }
    if needs := _specific_needs(rng, age=age, sex=sex, reference=reference):
        payload["specific_needs"] = needs
    if has_document:
        born = date.fromisoformat(payload["date_of_birth"])
        payload["documents"] = [
            _document(
                rng,
                nationality=nationality,
                surname=names["surname_latin"],
                given=names["given_names_latin"],
                sex=sex,
                born=born,
                today=today,
            )
        ]
        if nationality == "UKR":
            payload["place_of_birth"] = rng.choice(UKRAINIAN_PLACES_OF_BIRTH)
    elif rng.random() < 0.6:
        payload["no_document_reason"] = rng.choice(reference.no_document_reasons)
    return payload


def payload_problems(payload: dict[str, Any], reference: Reference) -> list[str]:
    """What the reference schema would refuse at the top level: unknown fields, and each
    ``x-hbm-exactly-one`` group not given exactly once. The bench sends what the contract says."""
    problems = [f"unknown field {name}" for name in sorted(set(payload) - reference.person_fields)]
    for group in reference.exactly_one:
        if sum(1 for name in group if payload.get(name) is not None) != 1:
            problems.append(f"exactly one of {', '.join(group)}")
    return problems


def person_records(
    reference: Reference, crossing_point: str, count: int, *, seed: int, until: datetime
) -> Iterator[dict[str, Any]]:
    """``count`` outbox records of kind ``person``, one every few seconds up to ``until``, with
    ids made on the device; the same seed gives the same people and ids."""
    rng = Random(seed)
    start = until - timedelta(seconds=count * SECONDS_BETWEEN_REGISTRATIONS)
    for i in range(count):
        occurred_at = start + timedelta(seconds=i * SECONDS_BETWEEN_REGISTRATIONS)
        payload = person_payload(rng, reference, today=until.date(), occurred_at=occurred_at)
        if problems := payload_problems(payload, reference):
            raise RuntimeError(f"the bench made a payload the reference schema refuses: {problems}")
        record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        yield {"id": record_id, "kind": "person", "crossing_point": crossing_point, "payload": payload}


# --- the outbox -------------------------------------------------------------------------------------


@dataclass(slots=True)
class OutboxRecord:
    """A record as the app keeps it: its id and kind in the clear, the rest encoded once when it
    is recorded (the app encrypts it; here it is the JSON bytes a batch is made of)."""

    id: str
    kind: str
    encoded: bytes
    error: dict[str, Any] | None = None  # the server's reason, once rejected


@dataclass(frozen=True, slots=True)
class Upload:
    """One batch as sent: kept before it is sent, so that a retry sends the same key and bytes."""

    key: str
    record_ids: tuple[str, ...]
    body: bytes


class Outbox:
    """A device's outbox: records in the order they were made, and the upload in flight.

    A record leaves the outbox only when an answer says the server has it; a rejected record stays,
    with the server's reason, and is not sent again until it is fixed. Kept in this process's
    memory: what is measured is the server and the protocol, not the device's storage.
    """

    def __init__(self, *, device_id: str, app_version: str) -> None:
        self._records: dict[str, OutboxRecord] = {}
        self._rejected = 0
        self._device_id = device_id
        self._app_version = app_version
        self.upload: Upload | None = None

    def record(self, record: dict[str, Any]) -> None:
        encoded = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
        self._records[record["id"]] = OutboxRecord(id=record["id"], kind=record["kind"], encoded=encoded)

    @property
    def pending(self) -> int:
        return len(self._records) - self._rejected

    @property
    def rejected(self) -> int:
        return self._rejected

    def __len__(self) -> int:
        return len(self._records)

    def _envelope(self, records: Sequence[OutboxRecord]) -> bytes:
        head = json.dumps(
            {
                "device_id": self._device_id,
                "pending": self.pending,
                "rejected": self.rejected,
                "app_version": self._app_version,
            },
            separators=(",", ":"),
        )
        return head[:-1].encode() + b',"records":[' + b",".join(r.encoded for r in records) + b"]}"

    def _fitting(self, max_records: int, max_bytes: int) -> list[OutboxRecord]:
        """The oldest pending records that fit in one batch (at least one, whatever its size)."""
        chosen: list[OutboxRecord] = []
        size = len(self._envelope(()))
        for candidate in self._records.values():
            if candidate.error is not None:
                continue
            if chosen and (len(chosen) == max_records or size + 1 + len(candidate.encoded) > max_bytes):
                break
            chosen.append(candidate)
            size += 1 + len(candidate.encoded)
        return chosen

    def upload_next(self, *, max_records: int, max_bytes: int) -> Upload | None:
        """The upload in flight if there is one (its answer was lost), else a new batch of the
        oldest pending records with a new key; ``None`` when nothing is left to send."""
        if self.upload is None:
            chosen = self._fitting(max_records, max_bytes)
            if not chosen:
                return None
            ids = tuple(r.id for r in chosen)
            self.upload = Upload(key=str(uuid.uuid4()), record_ids=ids, body=self._envelope(chosen))
        return self.upload

    def report_next(self) -> Upload:
        """A batch of zero records: how the device reports its outbox size after a sync."""
        if self.upload is None:
            self.upload = Upload(key=str(uuid.uuid4()), record_ids=(), body=self._envelope(()))
        return self.upload

    def settle(self, upload: Upload, results: list[dict[str, Any]]) -> None:
        """Apply an answer: what the server has leaves the outbox, a rejection stays with its reason.

        Raises ``SyncFailed`` if the answer does not name exactly the records sent.
        """
        if sorted(r["id"] for r in results) != sorted(upload.record_ids):
            raise SyncFailed(f"the answer to {upload.key} does not name exactly the records sent")
        for result in results:
            if result["status"] in SERVER_HAS_IT:
                self._rejected -= self._records.pop(result["id"]).error is not None
            else:
                kept = self._records[result["id"]]
                self._rejected += kept.error is None
                kept.error = result["error"] or {"code": result["status"]}
        self.upload = None


# --- the sync client --------------------------------------------------------------------------------


class SyncFailed(RuntimeError):
    """The server refused a batch outright, or did not answer after :data:`MAX_ATTEMPTS` tries."""


class ResponseDropper(httpx.BaseTransport):
    """A transport that, for every ``every``-th sync request, lets the server process it and
    answer, then closes the connection without reading the body and raises ``httpx.ReadError``:
    the answer was lost on the way back. ``every = 0``: never."""

    def __init__(self, every: int, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self._every = every
        self._seen = 0
        self.dropped = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # The status line comes only after the view returned, so the server has processed it.
        response = self._inner.handle_request(request)
        if self._every and request.url.path == SYNC_PATH:
            self._seen += 1
            if self._seen % self._every == 0:
                response.close()  # body unread: the connection is closed, not reused
                self.dropped += 1
                raise httpx.ReadError("answer dropped by --fault-every", request=request)
        return response

    def close(self) -> None:
        self._inner.close()


@dataclass(slots=True)
class SyncTally:
    batches: int = 0
    requests: int = 0
    retries: int = 0
    replayed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    batch_latencies_s: list[float] = field(default_factory=list)
    first_rejection: str = ""


def _retry_pause(attempt: int) -> None:
    """None before the first retry (a lost answer is retried at once), then doubling pauses."""
    if attempt > 1:
        time.sleep(RETRY_PAUSE_S * 2 ** (attempt - 2))


def upload_send(client: httpx.Client, upload: Upload, tally: SyncTally) -> dict[str, Any]:
    """POST one upload until it is answered; the same key and bytes on every attempt.

    A network error or a 429/5xx is retried; any other non-200 raises ``SyncFailed`` (a bench
    batch is well-formed, so a 409 or 422 is a bug to report, not to work around).
    """
    headers = {"Idempotency-Key": upload.key, "Content-Type": "application/json"}
    problem = ""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tally.requests += 1
        try:
            response = client.post(SYNC_PATH, content=upload.body, headers=headers)
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code == 200:
                answer: dict[str, Any] = response.json()
                tally.replayed += bool(answer["replayed"])
                return answer
            problem = f"HTTP {response.status_code}: {response.text[:500]}"
            if response.status_code not in RETRYABLE_STATUSES:
                raise SyncFailed(f"batch {upload.key} refused: {problem}")
        if attempt < MAX_ATTEMPTS:
            tally.retries += 1
            _retry_pause(attempt)
    raise SyncFailed(f"batch {upload.key} not answered after {MAX_ATTEMPTS} attempts: {problem}")


def _tally_results(tally: SyncTally, results: list[dict[str, Any]]) -> None:
    for result in results:
        tally.statuses[result["status"]] = tally.statuses.get(result["status"], 0) + 1
        if result["status"] not in SERVER_HAS_IT and not tally.first_rejection:
            tally.first_rejection = json.dumps(result["error"])[:500]


def outbox_sync(client: httpx.Client, outbox: Outbox, reference: Reference) -> SyncTally:
    """Send every pending record, batch after batch, then report the outbox size."""
    tally = SyncTally()
    while (
        upload := outbox.upload_next(
            max_records=reference.batch_max_records, max_bytes=reference.batch_max_bytes
        )
    ) is not None:
        started = time.perf_counter()
        answer = upload_send(client, upload, tally)
        outbox.settle(upload, answer["results"])
        tally.batch_latencies_s.append(time.perf_counter() - started)
        tally.batches += 1
        _tally_results(tally, answer["results"])
    report = outbox.report_next()
    outbox.settle(report, upload_send(client, report, tally)["results"])
    return tally


def _warm_up(base_url: str, device: Device, outbox: Outbox, reports: int) -> None:
    """Zero-record reports, each on a new connection, so that every worker serves one before the
    clock starts (a keep-alive connection stays with one gunicorn worker)."""
    for _ in range(reports):
        with httpx.Client(base_url=base_url, headers=_auth(device), timeout=REQUEST_TIMEOUT_S) as client:
            report = outbox.report_next()
            outbox.settle(report, upload_send(client, report, SyncTally())["results"])


@dataclass(frozen=True, slots=True)
class SyncRun:
    costs: Costs
    tally: SyncTally
    faults_injected: int
    record_ids: list[str]
    left_in_outbox: int
    batch_size: int


def sync_run(
    base_url: str, fixture: dict[str, Any], options: Options, *, server_pid: int, database: str
) -> SyncRun:
    """Enrol, fetch the reference data, fill the outbox, warm up; then the timed sync."""
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as plain:
        device = device_enrol(plain, username=fixture["username"], password=fixture["password"])
        reference = reference_fetch(plain, device)
    outbox = Outbox(device_id=device.device_id, app_version=APP_VERSION)
    records = list(
        person_records(
            reference, device.crossing_point, options.records, seed=options.seed, until=datetime.now(UTC)
        )
    )
    for record in records:
        outbox.record(record)
    _warm_up(base_url, device, outbox, WARMUP_REPORTS_PER_WORKER * options.workers)
    dropper = ResponseDropper(options.fault_every)
    with httpx.Client(
        base_url=base_url, headers=_auth(device), timeout=REQUEST_TIMEOUT_S, transport=dropper
    ) as client:
        before = Meters.read(server_pid, database)
        tally = outbox_sync(client, outbox, reference)
        after = Meters.read(server_pid, database)
    return SyncRun(
        costs=costs_between(before, after),
        tally=tally,
        faults_injected=dropper.dropped,
        record_ids=[r["id"] for r in records],
        left_in_outbox=len(outbox),
        batch_size=reference.batch_max_records,
    )


# --- the whole benchmark ----------------------------------------------------------------------------


def _figures(options: Options, run: SyncRun, checked: dict[str, Any]) -> dict[str, Any]:
    tally, costs = run.tally, run.costs
    counts = checked["counts"]
    found = counts["found"]
    return {
        "benchmark": "sync",
        "backend": options.backend,
        "records": options.records,
        "batch_size": run.batch_size,
        "batches": tally.batches,
        "seconds": round(costs.seconds, 3),
        "records_per_second": round(options.records / costs.seconds, 1),
        "p50_batch_ms": percentile_ms(tally.batch_latencies_s, 0.50),
        "p95_batch_ms": percentile_ms(tally.batch_latencies_s, 0.95),
        "duplicates": (counts["rows"] - found) + (counts["persons"] - found),
        "lost": options.records - found,
        "rejected": tally.statuses.get("rejected", 0),
        "stored": found,
        "answers": dict(sorted(tally.statuses.items())),
        "first_rejection": tally.first_rejection or None,
        "left_in_outbox": run.left_in_outbox,
        "fault_every": options.fault_every,
        "faults_injected": run.faults_injected,
        "retries": tally.retries,
        "replayed": tally.replayed,
        "requests": tally.requests,
        "duplicate_encounters": counts["encounters"] - found,
        "duplicate_audit_entries": counts["audit_entries"] - found,
        "database_counts": counts,
        "server_cpu_ms_per_record": per_item_ms(costs.server_cpu_s, options.records),
        "client_cpu_ms_per_record": per_item_ms(costs.client_cpu_s, options.records),
        "database_cpu_ms_per_record": per_item_ms(costs.database_cpu_s, options.records),
        "machine_busy_percent": costs.machine_busy_percent,
        "server": f"gunicorn gthread {options.workers} workers × {options.threads} threads",
        "database": checked["database"],
        "seed": options.seed,
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        child(setup, STEPS, "migrate")
        fixture = json.loads(child(setup, STEPS, "setup"))
        with server(setup, options.workers, options.threads) as running:
            wait_until_serving(running, "/api/field/reference", ready=401)
            try:
                run = sync_run(
                    running.base_url,
                    fixture,
                    options,
                    server_pid=running.process.pid,
                    database=setup.postgres_database,
                )
            except SyncFailed as exc:
                raise SyncFailed(f"{exc}\ngunicorn's log:\n{running.log_tail()}") from exc
        ids_path = setup.data_dir / "outbox-ids.txt"
        ids_path.write_text("\n".join(run.record_ids))
        checked = json.loads(child(setup, STEPS, "check", str(ids_path)))
    return _figures(options, run, checked)


# --- steps run in a subprocess (python -m hbm.bench.sync STEP) ---------------------------------------


def _step_setup() -> dict[str, Any]:
    """The emergency crossing point and its border officer, whose password the device signs in with."""
    from django.db import transaction

    password = secrets.token_urlsafe(18)
    with transaction.atomic():
        officer, point = emergency_crossing_create(officer_password=password)
    return {
        "username": officer.get_username(),
        "password": password,
        "crossing_point": str(point.pk),
    }


# The counts of the module docstring; {…} are quoted table names, bench_outbox a temporary table.
CHECK_SQL: dict[str, str] = {
    "rows": "SELECT COUNT(*) FROM {person} p JOIN bench_outbox o ON o.id = p.id",
    "found": "SELECT COUNT(DISTINCT p.id) FROM {person} p JOIN bench_outbox o ON o.id = p.id",
    "persons": "SELECT COUNT(*) FROM {person}",
    "encounters": (
        "SELECT COUNT(*) FROM {encounter} e JOIN bench_outbox o ON o.id = e.person_id WHERE e.tier = %s"
    ),
    "audit_entries": (
        "SELECT COUNT(*) FROM {audit} a JOIN bench_outbox o ON o.text_id = a.subject_id WHERE a.event = %s"
    ),
}


def _step_check(ids_path: Path) -> dict[str, Any]:
    """Load the outbox ids into a temporary table and run :data:`CHECK_SQL`."""
    from django.db import connection, transaction

    from hbm.audit.enums import AuditEvent
    from hbm.audit.models import AuditEntry
    from hbm.registration.enums import Tier
    from hbm.registration.models import Encounter, Person

    ids = [uuid.UUID(line) for line in ids_path.read_text().split()]
    pk = Person._meta.pk
    assert pk is not None
    tables = {
        "person": connection.ops.quote_name(Person._meta.db_table),
        "encounter": connection.ops.quote_name(Encounter._meta.db_table),
        "audit": connection.ops.quote_name(AuditEntry._meta.db_table),
    }
    parameters = {"encounters": [str(Tier.INDIVIDUAL)], "audit_entries": [str(AuditEvent.PERSON_REGISTERED)]}
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        id_type = pk.db_type(connection)
        cursor.execute(f"CREATE TEMPORARY TABLE bench_outbox (id {id_type} PRIMARY KEY, text_id varchar(36))")
        cursor.executemany(
            "INSERT INTO bench_outbox (id, text_id) VALUES (%s, %s)",
            [(pk.get_db_prep_value(i, connection), str(i)) for i in ids],
        )
        for name, statement in CHECK_SQL.items():
            cursor.execute(statement.format(**tables), parameters.get(name, []))
            counts[name] = int(cursor.fetchone()[0])
    counts["outbox"] = len(ids)
    return {"counts": counts, "database": database_version()}


def _step(argv: Sequence[str]) -> None:
    django_setup()
    step = argv[0]
    if step == "migrate":
        step_migrate()
    elif step == "setup":
        print(json.dumps(_step_setup()))
    elif step == "check":
        print(json.dumps(_step_check(Path(argv[1]))))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
