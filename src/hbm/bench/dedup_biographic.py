"""``hbm bench dedup-biographic``: biographic de-duplication on a synthetic population, beside splink.

Steps, on ``--records`` registrations of :func:`hbm.engines.synthetic.population` (seed
``--seed``) plus ``--queries`` more registrations of the same population:

1. **Sweep** (``sweep_seconds``): features, blocking, EM estimation of the model, scoring of every
   candidate pair, decisions, clusters — :func:`hbm.engines.matching.sweep`; ``sweep_steps`` has
   each step's seconds.
2. **Online check** (``online_check_p50_ms``/``_p95_ms``): a :class:`CandidateIndex` holding the
   ``--records`` records; each query record checked against it one at a time (nearest-rank
   percentiles of the wall time of ``check``). ``index_build_seconds`` is the time to index.
3. **Quality**: pairwise precision/recall/F1 of "same person" against the true person ids; recall
   counts every true pair, whether blocking found it or not. The headline figures are at each
   system's best probability threshold over its scored pairs (``threshold``); ``at_0_5`` gives
   both at probability 0.5; ``same_decisions`` ours for SAME decisions (default thresholds);
   ``by_nationality`` ours at the best threshold per nationality (:func:`by_nationality`);
   ``adjudication_queue`` what the default thresholds leave to a person (:func:`adjudication_queue`).
   ``model_error``: how far the estimated m is from the truth — for each field the L1 distance
   between its m and the share of each level among the true candidate pairs, their sum (``m_l1``;
   0.30 at a million, 8.9 when EM failed there, decision 0020), and the prior beside the true
   share of matching pairs. Not timed.
4. **splink** (DuckDB, splink 4 API) on the same records: normalised Latin names, date of birth,
   sex, nationality, place of birth, the parents' names; Jaro–Winkler name comparisons (the
   parents' too) with term-frequency adjustments, splink's date-of-birth comparison; the same
   blocking rules as ours (given our blocking keys as columns, one join per rule and key
   combination); prior from a deterministic
   rule, u by random sampling, m by EM on two sessions (see ``run_splink``).
   ``seconds`` counts training and prediction from a prepared DataFrame (``prepare_seconds``:
   building that DataFrame, keys included). ``--no-splink`` leaves it out (``"splink": null``).
5. **What if faces were captured** (``--face-capture SHARE``; ``"fused_what_if": null`` without):
   the same scored pairs decided again with face evidence drawn from the engine's stated face
   figures (:func:`fused_what_if`); the sweep then keeps pairs down to probability 1e-4. A what-if
   for choosing the bar, not a measurement of faces (``dedup-biometric`` measures those).
6. **Parents' names** (``--parents SCALE``, default 1): how often registrations record them,
   as a scale of the synthetic population's assumed shares per nationality
   (:data:`hbm.engines.synthetic.PARENTS_RECORDED`); ``--parents 0`` is the population without
   them — every other field identical — for the figure on the other fields alone.
7. **Identity documents** (``--documents SCALE``, default 1): how often people hold them, as a
   scale of :data:`hbm.engines.synthetic.DOCUMENTS_HELD` (decision 0026); ``--documents 0`` is
   the population without them, every other field identical. splink compares them too: the same
   number on both records, another number of one kind of one state's document, else.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from hbm.bench.common import machine_info, percentile_ms
from hbm.engines.matching import (
    FACE_WEIGHTS,
    FIELDS,
    SESSION_MAX_BLOCK,
    CandidateIndex,
    CandidatePairs,
    Featuriser,
    MatchModel,
    MatchRecord,
    Quality,
    SweepResult,
    Thresholds,
    best_threshold,
    blocking_keys,
    compare,
    compared_documents,
    is_child,
    pairwise_quality,
    review_groups,
    sweep,
    true_pair_count,
)
from hbm.engines.names import name_parts
from hbm.engines.synthetic import population

IntArray = npt.NDArray[np.int64]

DEFAULT_RECORDS: Final = 100_000
DEFAULT_QUERIES: Final = 1000
# What-if face evidence (--face-capture): the share of genuine pairs and of impostor pairs in each
# band of face similarity of FACE_WEIGHTS (≥ 0.88, 0.5–0.88, below), as the engine's weights read
# dlib's LFW figures (99.38 % accuracy at distance 0.6). Field photos are worse than LFW's.
FACE_BANDS: Final = {"genuine": (0.97, 0.02, 0.01), "impostor": (0.001, 0.01, 0.989)}
# With faces the sweep keeps pairs down to this probability: below it even a face match (+9 bits)
# cannot lift a pair to the lowest adjudication threshold (0.2) at any prior up to 1e-3.
FACE_KEPT_FROM: Final = 1e-4


def _figures(quality: Quality) -> dict[str, float]:
    return {
        "precision": round(quality.precision, 4),
        "recall": round(quality.recall, 4),
        "f1": round(quality.f1, 4),
    }


def adjudication_queue(
    left: IntArray,
    right: IntArray,
    decisions: npt.NDArray[np.int8],
    person_ids: IntArray,
    probabilities: npt.NDArray[np.float64] | None = None,
) -> dict[str, float]:
    """The pairs the default thresholds send to adjudication: how many, how many per 1,000 records
    (an adjudicator's workload), and the share that are truly one person (the rest are the false
    tickets an adjudicator dismisses). ``groups``: the same pairs gathered as the queue gathers them
    (:func:`hbm.engines.matching.review_groups`, most likely first, at most ``GROUP_LIMIT``
    records each) — the screens an adjudicator opens; ``group_records_p50``/``_p99``/``_max`` how
    many records a screen shows."""
    queued = np.flatnonzero(decisions == 1)
    if probabilities is not None:
        queued = queued[np.argsort(-probabilities[queued], kind="stable")]
    true = int(np.count_nonzero(person_ids[left[queued]] == person_ids[right[queued]]))
    pairs = list(zip(left[queued].tolist(), right[queued].tolist(), strict=True))
    groups = review_groups(pairs)
    sizes = np.array([len({r for i in group for r in pairs[i]}) for group in groups] or [0])
    return {
        "pairs": len(queued),
        "per_1000_records": round(1000 * len(queued) / max(len(person_ids), 1), 2),
        "true_share": round(true / len(queued), 4) if len(queued) else 0.0,
        "groups": len(groups),
        "groups_per_1000_records": round(1000 * len(groups) / max(len(person_ids), 1), 2),
        "group_records_p50": float(np.percentile(sizes, 50)),
        "group_records_p99": float(np.percentile(sizes, 99)),
        "group_records_max": int(sizes.max()),
    }


def fused_what_if(
    result: SweepResult,
    records: Sequence[MatchRecord],
    person_ids: IntArray,
    capture: float,
    rng: np.random.Generator,
    on: date,
) -> dict[str, Any]:
    """Decisions as they would be with a face on ``capture`` of the registrations: each scored
    pair whose two records both have one gains the bits of a face similarity band
    (:data:`FACE_WEIGHTS`) drawn from :data:`FACE_BANDS` by the truth, then is decided again with
    the default thresholds. Not a measurement of faces — a what-if on the engine's own stated
    face figures, for the decision on what F1 to ask of biographic data alone."""
    left, right = result.left, result.right
    with_face = rng.random(len(records)) < capture
    both = with_face[left] & with_face[right]
    genuine = person_ids[left] == person_ids[right]
    bits = np.zeros(len(left))
    for truth, shares in ((True, FACE_BANDS["genuine"]), (False, FACE_BANDS["impostor"])):
        rows = np.flatnonzero(both & (genuine == truth))
        bands = rng.choice(len(shares), size=len(rows), p=shares)
        bits[rows] = np.asarray([weight for _, weight in FACE_WEIGHTS])[bands]
    probabilities = result.model.probabilities(result.weights + bits)
    threshold, best = best_threshold(left, right, probabilities, person_ids)
    child = np.fromiter((is_child(record, on) for record in records), dtype=np.bool_, count=len(records))
    is_pair_child = child[left] | child[right]
    thresholds = Thresholds()
    same_at = np.where(is_pair_child, thresholds.child_same, thresholds.same)
    adjudicate_at = np.where(is_pair_child, thresholds.child_adjudicate, thresholds.adjudicate)
    decisions = np.where(probabilities >= same_at, 0, np.where(probabilities >= adjudicate_at, 1, 2))
    same = decisions == 0
    return {
        "face_capture": capture,
        "pairs_with_faces": int(both.sum()),
        **_figures(best),
        "threshold": round(threshold, 6),
        "same_decisions": _figures(pairwise_quality(left[same], right[same], person_ids)),
        "adjudication_queue": adjudication_queue(
            left, right, decisions.astype(np.int8), person_ids, probabilities
        ),
    }


def by_nationality(
    records: Sequence[MatchRecord], left: IntArray, right: IntArray, person_ids: IntArray
) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 of the pairs ``(left, right)`` per nationality: a person's is the
    one on their first record (``?`` where it was not recorded); a pair counts for its left record's
    person, so a pair joining two nationalities is a false positive of the first."""
    first: dict[int, str] = {}
    for person, record in zip(person_ids.tolist(), records, strict=True):
        first.setdefault(person, record.nationality or "?")
    group = np.array([first[person] for person in person_ids.tolist()])
    alone = -1 - np.arange(len(person_ids), dtype=np.int64)  # records outside a group pair with none
    figures = {}
    for nationality in sorted(set(first.values())):
        inside = group == nationality
        chosen = inside[left]
        ids = np.where(inside, person_ids, alone)
        figures[nationality] = _figures(pairwise_quality(left[chosen], right[chosen], ids))
    return figures


def _latin(text: str) -> str:
    return " ".join(name_parts(text))


def _splink_frame(records: Sequence[MatchRecord]) -> Any:
    import pandas as pd  # type: ignore[import-untyped]  # no stubs installed; see the report

    rows = []
    for record in records:
        keys = blocking_keys(record)
        first = {key.split(":", 1)[0]: key for key in reversed(keys)}
        dates = sorted(key for key in keys if key.startswith("D:"))
        estimated = sorted({key.split(":")[1] for key in keys if key.startswith("E:")})
        born = record.birth_date
        rows.append(
            {
                "unique_id": int(str(record.id)),
                "given": _latin(record.given) or None,
                "surname": _latin(record.surname) or None,
                "dob": born.isoformat() if born else None,
                "sex": record.sex or None,
                "nationality": record.nationality or None,
                "place_of_birth": _latin(record.place_of_birth) or None,
                "father": _latin(record.father) or None,
                "mother": _latin(record.mother) or None,
                **_splink_documents(record),
                "name_pair": first.get("N"),
                "surname_year": first.get("S"),
                "given_year": first.get("G"),
                "date_initial_1": dates[0] if dates else None,
                "date_initial_2": dates[-1] if dates else None,
                "estimated_name_1": estimated[0] if estimated else None,
                "estimated_name_2": estimated[-1] if estimated else None,
                "estimated_year": born.year if estimated and born else None,
                "original": first.get("O"),
            }
        )
    frame = pd.DataFrame(rows)
    # The name pairs of at most SESSION_MAX_BLOCK records, for the EM session on names (as ours).
    sizes = frame.groupby("name_pair")["name_pair"].transform("size")
    frame["rare_name_pair"] = frame["name_pair"].where(sizes <= SESSION_MAX_BLOCK)
    return frame


def _splink_documents(record: MatchRecord) -> dict[str, str | None]:
    """The record's first two documents as splink columns: ``document_1``/``_2`` the number (its
    compared form), ``document_type_1``/``_2`` kind and issuing state."""
    kept = compared_documents(record.documents)
    columns: dict[str, str | None] = {}
    for slot in (1, 2):
        kind, state, number = kept[slot - 1] if slot <= len(kept) else (None, None, None)
        columns[f"document_{slot}"] = number
        columns[f"document_type_{slot}"] = f"{kind}:{state}" if number else None
    return columns


def _splink_document_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    same = " or ".join(f"document_{a}_l = document_{b}_r" for a in (1, 2) for b in (1, 2))
    return cl.CustomComparison(
        output_column_name="document",
        comparison_levels=[
            cll.CustomLevel("document_1_l is null or document_1_r is null").configure(is_null_level=True),
            cll.CustomLevel(same, label_for_charts="same number"),
            cll.CustomLevel("document_type_1_l = document_type_1_r", label_for_charts="other number"),
            cll.ElseLevel(),
        ],
    )


def _splink_blocking_rules() -> list[Any]:
    """Our blocking rules (:func:`hbm.engines.matching.blocking_keys`) in splink's terms: two
    records are a candidate pair when they share any key. A rule with two keys per record (``D``:
    a date with either name's initial; ``E``: either name with an estimated year give or take one)
    becomes one join per combination."""
    from splink import block_on

    rules: list[Any] = [block_on("name_pair"), block_on("surname_year"), block_on("given_year")]
    for left in ("1", "2"):
        for right in ("1", "2"):
            rules.append(f"l.date_initial_{left} = r.date_initial_{right}")
            rules.append(
                f"l.estimated_name_{left} = r.estimated_name_{right}"
                " and abs(l.estimated_year - r.estimated_year) <= 2"
            )
    rules.append(block_on("original"))
    rules += [f"l.document_{a} = r.document_{b}" for a in ("1", "2") for b in ("1", "2")]
    return rules


def run_splink(
    records: Sequence[MatchRecord], person_ids: npt.NDArray[np.int64], seed: int
) -> dict[str, Any]:
    """splink 4 with DuckDB on ``records`` (see the module docstring)."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)  # the benchmark prints one JSON object
    started = time.perf_counter()
    frame = _splink_frame(records)
    prepare_seconds = time.perf_counter() - started

    started = time.perf_counter()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=_splink_blocking_rules(),
        comparisons=[
            cl.JaroWinklerAtThresholds("given", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.JaroWinklerAtThresholds("place_of_birth", [0.88]),
            cl.JaroWinklerAtThresholds("father", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("mother", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            _splink_document_comparison(),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")  # it writes to stdout
    # DuckDB spills to ./.tmp by default (gigabytes at a million records): keep it out of the tree.
    spill = tempfile.TemporaryDirectory(prefix="hbm-splink-")
    connection.execute(f"SET temp_directory = '{spill.name}'")
    linker = Linker(frame, settings, db_api=DuckDBAPI(connection=connection))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "surname", "dob")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=min(1e7, 50 * len(records)), seed=seed)
    # Training sessions, chosen for splink's best F1 at 100,000 (0.576; ours, decision 0020, gave
    # it 0.315 — its comparisons are not ours): the exact date with a name's initial, as before;
    # the names session on name pairs of at most SESSION_MAX_BLOCK records, as ours (the former
    # one, every name pair, took 4 minutes per EM iteration at a million). splink leaves out of a
    # session the comparisons whose columns its rule names, so that rule names given and surname.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_initial_1"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("rare_name_pair", "given", "surname")
    )
    predicted = linker.inference.predict(threshold_match_probability=0.01)
    predictions = predicted.as_pandas_dataframe()  # type: ignore[no-untyped-call]  # splink's own
    seconds = time.perf_counter() - started
    connection.close()
    spill.cleanup()

    left = predictions["unique_id_l"].to_numpy(dtype=np.int64)
    right = predictions["unique_id_r"].to_numpy(dtype=np.int64)
    probabilities = predictions["match_probability"].to_numpy(dtype=np.float64)
    threshold, best = best_threshold(left, right, probabilities, person_ids)
    half = probabilities >= 0.5
    return {
        "seconds": round(seconds, 2),
        **_figures(best),
        "threshold": round(threshold, 6),
        "at_0_5": _figures(pairwise_quality(left[half], right[half], person_ids)),
        "prepare_seconds": round(prepare_seconds, 2),
        "scored_pairs": len(left),
    }


def model_error(
    records: Sequence[MatchRecord], person_ids: npt.NDArray[np.int64], model: MatchModel
) -> dict[str, Any]:
    """The estimated m against the level shares among the true candidate pairs (see the module
    docstring)."""
    featuriser = Featuriser()
    table, keys = featuriser.table(records)
    found = []
    for left, right in CandidatePairs(keys).chunks():
        true = person_ids[left] == person_ids[right]
        found.append(compare(featuriser, table, left[true], right[true]))
    levels = np.concatenate(found) if found else np.empty((0, len(FIELDS)), dtype=np.int8)
    fields = {}
    for index, spec in enumerate(FIELDS):
        counts = np.bincount(levels[:, index], minlength=len(spec.levels))[:-1].astype(np.float64)
        truth = counts / max(counts.sum(), 1.0)
        fields[spec.name] = round(float(np.abs(np.asarray(model.m[index]) - truth).sum()), 3)
    n = len(records)
    return {
        "m_l1": round(sum(fields.values()), 3),
        "fields": fields,
        "prior": model.prior,
        "true_prior": true_pair_count(person_ids) / max(n * (n - 1) / 2, 1),
    }


def main(argv: Sequence[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="hbm bench dedup-biographic")
    parser.add_argument("--records", type=int, default=DEFAULT_RECORDS)
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--duplicate-rate", type=float, default=0.1)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--face-capture",
        type=float,
        default=0.0,
        help="what-if: decisions again with a face on this share of registrations (0: none)",
    )
    parser.add_argument(
        "--parents",
        type=float,
        default=1.0,
        help="scales how often the parents' names are recorded (synthetic PARENTS_RECORDED; 0: never)",
    )
    parser.add_argument(
        "--documents",
        type=float,
        default=1.0,
        help="scales how often identity documents are held (synthetic DOCUMENTS_HELD; 0: never)",
    )
    args = parser.parse_args(list(argv))
    if not 0 <= args.parents <= 1:
        parser.error("--parents is a share between 0 and 1")
    if not 0 <= args.documents <= 1:
        parser.error("--documents is a share between 0 and 1")

    started = time.perf_counter()
    people = population(
        args.records + args.queries,
        seed=args.seed,
        duplicate_rate=args.duplicate_rate,
        parents=args.parents,
        documents=args.documents,
    )
    generate_seconds = time.perf_counter() - started
    records, queries = people.records[: args.records], people.records[args.records :]
    person_ids = people.person_ids[: args.records]

    started = time.perf_counter()
    if not 0 <= args.face_capture <= 1:
        parser.error("--face-capture is a share between 0 and 1")
    kept_from = FACE_KEPT_FROM if args.face_capture else None
    result = sweep(records, on=people.on, rng=np.random.default_rng(args.seed), kept_from=kept_from)
    sweep_seconds = time.perf_counter() - started
    threshold, best = best_threshold(result.left, result.right, result.probabilities, person_ids)
    half = result.probabilities >= 0.5
    same = result.decisions == 0

    started = time.perf_counter()
    index = CandidateIndex(result.model)
    index.add_many(records)
    build_seconds = time.perf_counter() - started
    latencies = []
    for record in queries:
        began = time.perf_counter()
        index.check(record)
        latencies.append(time.perf_counter() - began)

    ours = {
        "online_check_p95_ms": percentile_ms(latencies, 0.95) if latencies else None,
        "sweep_seconds": round(sweep_seconds, 2),
        **_figures(best),
    }
    print(f"hbm bench dedup-biographic: ours done {json.dumps(ours)}", file=sys.stderr, flush=True)
    splink = None if args.no_splink else run_splink(records, person_ids, args.seed)
    error = model_error(records, person_ids, result.model)
    return {
        "benchmark": "dedup-biographic",
        "records": args.records,
        "queries": len(queries),
        "seed": args.seed,
        "duplicate_rate": args.duplicate_rate,
        "parents": args.parents,
        "documents": args.documents,
        "online_check_p50_ms": percentile_ms(latencies, 0.5) if latencies else None,
        "online_check_p95_ms": percentile_ms(latencies, 0.95) if latencies else None,
        "index_build_seconds": round(build_seconds, 2),
        "sweep_seconds": round(sweep_seconds, 2),
        "sweep_steps": {step: round(seconds, 2) for step, seconds in result.seconds.items()},
        "compared_pairs": result.compared,
        **_figures(best),
        "threshold": round(threshold, 6),
        "by_nationality": by_nationality(
            records,
            result.left[result.probabilities >= threshold],
            result.right[result.probabilities >= threshold],
            person_ids,
        ),
        "at_0_5": _figures(pairwise_quality(result.left[half], result.right[half], person_ids)),
        "same_decisions": _figures(pairwise_quality(result.left[same], result.right[same], person_ids)),
        "adjudication_queue": adjudication_queue(
            result.left, result.right, result.decisions, person_ids, result.probabilities
        ),
        "prior": result.model.prior,
        "model_error": error,
        "fused_what_if": fused_what_if(
            result, records, person_ids, args.face_capture, np.random.default_rng(args.seed), people.on
        )
        if args.face_capture
        else None,
        "generate_seconds": round(generate_seconds, 2),
        "splink": splink,
        "machine": machine_info(),
        "date": datetime.now(UTC).date().isoformat(),
    }
