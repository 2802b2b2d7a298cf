"""The sync benchmark: end to end at a tiny size with lost answers (real gunicorn, real HTTP, a fresh
SQLite), and its outbox and payloads on their own."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from hbm.bench.sync import (
    SYNC_PATH,
    Outbox,
    Reference,
    ResponseDropper,
    SyncFailed,
    SyncTally,
    main,
    person_records,
    upload_send,
)


def test_a_small_run_with_lost_answers_stores_every_record_exactly_once() -> None:
    # 120 records: batches of 50, 50, 20, then the zero-record report. The 3rd request (the last
    # batch) is processed but its answer dropped; the retry gets the stored answer.
    figures = main(["--records", "120", "--fault-every", "3"])

    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("benchmark", "backend", "records", "batch_size", "batches")} == {
        "benchmark": "sync",
        "backend": "sqlite",
        "records": 120,
        "batch_size": 50,
        "batches": 3,
    }
    assert {k: figures[k] for k in ("duplicates", "lost", "rejected", "stored", "left_in_outbox")} == {
        "duplicates": 0,
        "lost": 0,
        "rejected": 0,
        "stored": 120,
        "left_in_outbox": 0,
    }
    assert (figures["faults_injected"], figures["retries"], figures["replayed"], figures["requests"]) == (
        1,
        1,
        1,
        5,
    )
    assert figures["answers"] == {"stored": 120}
    assert figures["database_counts"] == {
        "rows": 120,
        "found": 120,
        "persons": 120,
        "encounters": 120,
        "audit_entries": 120,
        "outbox": 120,
    }
    assert (figures["duplicate_encounters"], figures["duplicate_audit_entries"]) == (0, 0)
    assert 0 < figures["p50_batch_ms"] <= figures["p95_batch_ms"]
    # Both figures are rounded (seconds to 1 ms, records_per_second to 0.1): allow for that only.
    low, high = 120 / (figures["seconds"] + 0.0005), 120 / max(figures["seconds"] - 0.0005, 1e-9)
    assert low - 0.05 <= figures["records_per_second"] <= high + 0.05
    assert figures["database"].startswith("sqlite 3.")
    assert figures["server"] == "gunicorn gthread 3 workers × 1 threads"
    assert set(figures) >= {"server_cpu_ms_per_record", "client_cpu_ms_per_record", "machine", "date"}


def test_bad_options_are_refused() -> None:
    for argv in (["--fault-every", "1"], ["--fault-every", "-2"], ["--records", "0"]):
        with pytest.raises(SystemExit):
            main(argv)


# --- the outbox -------------------------------------------------------------------------------------


def _record(number: int, size: int = 10) -> dict[str, Any]:
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "kind": "person", "payload": {"x": "y" * size}}


def _outbox(records: int, size: int = 10) -> Outbox:
    outbox = Outbox(device_id="d", app_version="test")
    for number in range(records):
        outbox.record(_record(number, size))
    return outbox


def _answer(ids: tuple[str, ...], status: str = "stored") -> list[dict[str, Any]]:
    return [{"id": i, "kind": "person", "status": status, "version": 1, "error": None} for i in ids]


def test_an_upload_is_kept_until_answered_so_a_retry_resends_the_same_key_and_bytes() -> None:
    outbox = _outbox(5)

    first = outbox.upload_next(max_records=2, max_bytes=10_000)
    again = outbox.upload_next(max_records=2, max_bytes=10_000)

    assert first is not None
    assert again == first
    assert json.loads(first.body) == {
        "device_id": "d",
        "pending": 5,
        "rejected": 0,
        "app_version": "test",
        "records": [_record(0), _record(1)],
    }


def test_what_the_server_has_leaves_the_outbox_and_a_rejection_stays_unsent() -> None:
    outbox = _outbox(3)
    upload = outbox.upload_next(max_records=2, max_bytes=10_000)
    assert upload is not None
    rejected = {
        **_answer(upload.record_ids[1:], "rejected")[0],
        "error": {"code": "invalid", "message": "m", "fields": {}},
    }

    outbox.settle(upload, [*_answer(upload.record_ids[:1], "already_stored"), rejected])
    following = outbox.upload_next(max_records=2, max_bytes=10_000)

    assert (len(outbox), outbox.pending, outbox.rejected) == (2, 1, 1)
    assert following is not None
    assert following.key != upload.key
    assert following.record_ids == (_record(2)["id"],)
    assert json.loads(following.body)["rejected"] == 1


def test_batches_hold_at_most_the_records_and_bytes_the_reference_allows() -> None:
    outbox = _outbox(7, size=100)
    sizes = []

    while (upload := outbox.upload_next(max_records=3, max_bytes=500)) is not None:
        assert len(upload.body) <= 500
        sizes.append(len(upload.record_ids))
        outbox.settle(upload, _answer(upload.record_ids))

    assert sizes == [2, 2, 2, 1]
    assert outbox.upload_next(max_records=3, max_bytes=10_000) is None


def test_an_answer_that_does_not_name_the_records_sent_is_refused_and_changes_nothing() -> None:
    outbox = _outbox(2)
    upload = outbox.upload_next(max_records=2, max_bytes=10_000)
    assert upload is not None

    with pytest.raises(SyncFailed):
        outbox.settle(upload, _answer(upload.record_ids[:1]))

    assert (len(outbox), outbox.upload) == (2, upload)


def test_the_report_after_a_sync_is_a_batch_of_zero_records() -> None:
    outbox = _outbox(1)

    report = outbox.report_next()

    assert report.record_ids == ()
    assert json.loads(report.body)["records"] == []
    assert json.loads(report.body)["pending"] == 1


# --- the registrations in the outbox ------------------------------------------------------------------


def _reference() -> Reference:
    from hbm.demo.names import NAME_POOLS
    from hbm.registration.enums import NoDocumentReason, SpecificNeed
    from hbm.registration.schemas import PersonIn

    schema = PersonIn.model_json_schema()
    return Reference(
        nationalities=frozenset(NAME_POOLS),
        languages=frozenset(
            code for pool in NAME_POOLS.values() for option, _ in pool.languages for code in option
        ),
        specific_needs=frozenset(SpecificNeed.values),
        no_document_reasons=tuple(NoDocumentReason.values),
        person_fields=frozenset(schema["properties"]) - {"id"},
        exactly_one=tuple(tuple(group) for group in schema["x-hbm-exactly-one"]),
        batch_max_records=50,
        batch_max_bytes=4 * 1024 * 1024,
    )


def test_the_registrations_are_reproducible_and_valid_for_the_server_schema() -> None:
    from hbm.registration.schemas import PersonIn

    until = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    records = list(person_records(_reference(), "cp", 300, seed=7, until=until))

    assert records == list(person_records(_reference(), "cp", 300, seed=7, until=until))
    assert len({r["id"] for r in records}) == 300
    for record in records:
        PersonIn.model_validate(record["payload"])  # raises if the server would refuse it
    payloads = [r["payload"] for r in records]
    births = ("estimated_age", "birth_year", "date_of_birth")
    assert {name for p in payloads for name in births if name in p} == set(births)
    assert any(p.get("documents") for p in payloads)
    assert any(p.get("specific_needs") for p in payloads)
    assert any(p["surname_original"] and p["surname_original"] != p["surname_latin"] for p in payloads)
    assert len({p["nationality"] for p in payloads}) >= 4
    assert max(p["encounter"]["occurred_at"] for p in payloads) < until.isoformat()


# --- the sync client ----------------------------------------------------------------------------------


def _answered(request: httpx.Request) -> httpx.Response:
    key = request.headers.get("Idempotency-Key", "")
    return httpx.Response(200, json={"key": key, "replayed": False, "results": []})


def test_a_lost_answer_is_retried_with_the_same_key_and_bytes() -> None:
    sent: list[tuple[str, bytes]] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        sent.append((request.headers["Idempotency-Key"], request.content))
        if len(sent) == 1:
            raise httpx.ReadError("lost", request=request)
        return _answered(request)

    upload = _outbox(1).report_next()
    tally = SyncTally()
    with httpx.Client(base_url="http://bench", transport=httpx.MockTransport(flaky)) as client:
        answer = upload_send(client, upload, tally)

    assert answer["key"] == upload.key
    assert sent == [(upload.key, upload.body), (upload.key, upload.body)]
    assert (tally.requests, tally.retries) == (2, 1)


def test_a_refused_batch_is_not_retried() -> None:
    calls = []

    def refusing(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(409, json={"code": "idempotency_key_reused", "message": "m", "fields": {}})

    with (
        httpx.Client(base_url="http://bench", transport=httpx.MockTransport(refusing)) as client,
        pytest.raises(SyncFailed, match="idempotency_key_reused"),
    ):
        upload_send(client, _outbox(1).report_next(), SyncTally())
    assert len(calls) == 1


def test_the_dropper_loses_every_kth_sync_answer_after_the_server_answered() -> None:
    served: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        served.append(request.url.path)
        return _answered(request)

    dropper = ResponseDropper(2, inner=httpx.MockTransport(server))
    outcomes = []
    with httpx.Client(base_url="http://bench", transport=dropper) as client:
        for path in (SYNC_PATH, "/api/field/reference", SYNC_PATH, SYNC_PATH):
            try:
                outcomes.append(client.post(path).status_code)
            except httpx.ReadError:
                outcomes.append("dropped")

    assert outcomes == [200, 200, "dropped", 200]
    assert len(served) == 4  # the dropped one reached the server
    assert dropper.dropped == 1
