"""``hbm bench person-search``: the border officers' person search at national scale, beside the
substring search it replaced, on one database in one run.

Why: the former search looked for the folded query as a substring of every visible person's names
(``LIKE '%…%'``, which no B-tree index serves), so each search read the whole person table, and a
name typed given names first ('Olena Kovalenko') found nobody stored surname first. This measures
what a search costs and finds, both ways, with a country's caseload stored.

On a fresh database (SQLite in a temporary folder, or a throwaway PostgreSQL database on the server
named by ``DATABASE_URL``, dropped at the end): two crossing points, a coordinator, and a screening
officer posted at the first. ``--persons`` registrations (default 1,000,000: a national caseload)
of the synthetic arrival population (:func:`hbm.engines.synthetic.population`: Zipf-distributed
names, so namesakes are common, in Latin letters and, in half the registrations of nationalities
that write another script, in that script too; parents' names) are stored in bulk (not timed),
half registered at each point, each with one individual encounter, their search columns folded as
the registration service folds them; then ``ANALYZE`` (PostgreSQL: ``VACUUM ANALYZE``, as
autovacuum would have done, which also empties a GIN index's pending list). ``load_seconds`` is
all of it, the population's generation included. ``index_mb`` is the size of the word index
(SQLite: every table named ``registration_person_words…``, the FTS5 table, its shadow tables and
the content table it reads; PostgreSQL: the trigram indexes :data:`TRIGRAM_INDEXES`; 0 where there
is none), ``database_mb`` the whole database's.

Timed, ``--queries`` searches of each kind (drawn from the stored population with ``--seed`` before
anything is timed, so both searches get the same ones), after :data:`WARMUP_QUERIES` warm-up calls,
nearest-rank p50/p95 in ms, and the mean number of hits: ``full_name`` — a registered person's Latin
names, given names first and in mixed case, as officers type them; ``surname`` — a registered
surname alone; ``fragment`` — four letters from inside a registered surname; ``original`` — a
registered person's names in their own script as stored (surname first); ``parent`` — a registered
father's name as ``parent_name``; ``absent`` — a given name and a surname nobody has (a registered
surname misspelt, checked against every stored name); ``posted_full_name`` — the ``full_name``
queries searched by the screening officer, who sees the persons met at the first point;
``respelt`` — a registered person's surname after their first given name *spelt another way*, one of
the other spellings of its set in the names engine's variant table (Mohamed for a registered
Muhammad); ``respelt_born`` — the same for a person whose birth date is recorded, searched with
that date (as an officer narrows a common name), and ``…_found`` the share of those searches that
list the person sought (a person of those names and that date); ``full_name_sounds`` — the
``full_name`` queries; ``parent_respelt`` — a registered father's name as ``parent_name``, its first
name spelt another way as ``respelt``'s. The last four are searched by sound (``sounds_like``) and,
as ``…_words``, by words only, taking turns in the same way. The new
search is :func:`hbm.registration.selectors.persons_search` (audited, as in use); the former is
:func:`former_search`, the selector as it was (a folded substring of the names), without the audit.
Their hits differ by design: the new search matches words in any order, the former a substring. The
two take turns going first on each query, so that neither always finds the other's pages cached.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any, Final

from hbm.bench.common import (
    child,
    database_version,
    django_setup,
    environment,
    machine_info,
    percentile_ms,
    step_migrate,
)
from hbm.engines.names import canonical, variant_sets

if TYPE_CHECKING:
    from hbm.core.context import Actor
    from hbm.engines.matching import MatchRecord
    from hbm.registration.models import Person

STEPS = "hbm.bench.person_search"
WARMUP_QUERIES = 2
BATCH = 10_000  # persons stored per transaction
SEARCH_LIMIT = 50
MIN_PERSONS = 1_000  # fewer may hold no original-script name or long surname to draw queries from
KINDS: Final = ("full_name", "surname", "fragment", "original", "parent", "absent", "posted_full_name")
# Searches by sound (``sounds_like``), each timed beside the search by words on the same queries.
SOUND_KINDS: Final = ("respelt", "respelt_born", "full_name_sounds", "parent_respelt")
FRAGMENT_LETTERS = 4
FRAGMENT_SURNAME_MIN_LETTERS = 6
FTS_TABLE = "registration_person_words"
TRIGRAM_INDEXES: Final = (
    "person_search_words_trgm",
    "person_parents_words_trgm",
    "person_search_sounds_trgm",
    "person_parents_sounds_trgm",
)
# The synthetic generator leaves 2 % of birth dates out; the column is required and the search does
# not read it, so those persons are stored as estimated to be this old.
UNKNOWN_AGE_YEARS = 30
UNKNOWN_NATIONALITY = "XXX"  # ICAO Doc 9303: nationality not known

Query = tuple[str, str]  # (query, parent_name)
# A search the benchmark times: (actor, query, parent_name, date of birth or "") → persons found.
_Search = Callable[["Actor", str, str, str], list["Person"]]
Sought = tuple[str, str, str, str]  # (query, date of birth, the sought person's given names and surname)


@dataclass(frozen=True, slots=True)
class Options:
    backend: str
    persons: int
    queries: int
    seed: int


def options_parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="hbm bench person-search", description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons stored")
    parser.add_argument("--queries", type=int, default=50, help="timed searches of each kind")
    parser.add_argument("--seed", type=int, default=0, help="seed of the population and the queries")
    args = parser.parse_args(list(argv))
    if args.persons < MIN_PERSONS or args.queries < 1:
        parser.error(f"--persons must be at least {MIN_PERSONS} and --queries at least 1")
    return Options(args.backend, args.persons, args.queries, args.seed)


def main(argv: Sequence[str]) -> dict[str, Any]:
    """Run the benchmark and return its figures as one JSON-able dict (see the module docstring)."""
    options = options_parse(argv)
    with environment(options.backend) as setup:
        drawn = setup.data_dir / "queries.json"
        child(setup, STEPS, "migrate")
        arguments = (str(options.persons), str(options.queries), str(options.seed), str(drawn))
        loaded = json.loads(child(setup, STEPS, "load", *arguments))
        timed = json.loads(child(setup, STEPS, "search", str(drawn)))
    return {
        "benchmark": "person-search",
        "backend": options.backend,
        "persons": loaded["persons"],
        "queries": options.queries,
        **{
            f"{kind}{search}_{name}_ms": percentile_ms(timed[f"{kind}{search}"], fraction)
            for kind in KINDS
            for search in ("", "_former")
            for name, fraction in (("p50", 0.5), ("p95", 0.95))
        },
        **{
            f"{kind}{search}_hits": timed[f"{kind}{search}_hits"]
            for kind in KINDS
            for search in ("", "_former")
        },
        **{
            f"{kind}{search}_{name}_ms": percentile_ms(timed[f"{kind}{search}"], fraction)
            for kind in SOUND_KINDS
            for search in ("", "_words")
            for name, fraction in (("p50", 0.5), ("p95", 0.95))
        },
        **{
            f"{kind}{search}_hits": timed[f"{kind}{search}_hits"]
            for kind in SOUND_KINDS
            for search in ("", "_words")
        },
        **{f"respelt_born{search}_found": timed[f"respelt_born{search}_found"] for search in ("", "_words")},
        "index_mb": loaded["index_mb"],
        "database_mb": loaded["database_mb"],
        "load_seconds": round(loaded["seconds"], 1),
        "database": timed["database"],
        "machine": machine_info(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --- the queries ---------------------------------------------------------------------------------------


def original_names(original: str) -> tuple[str, str]:
    """(given names, surname) of a synthetic record's ``original``, which the generator writes given
    names first, then the surname. The surname is taken to be the last word: the one family name of
    two words in the pools (Syrian 'العبد الله') is split inside, which the search does not mind."""
    given, _, surname = original.rpartition(" ")
    return given, surname


def misspelt(surname: str, rng: Random) -> str:
    """``surname`` with two neighbouring letters swapped and another letter changed."""
    letters = list(surname)
    at = rng.randrange(len(letters) - 1)
    letters[at], letters[at + 1] = letters[at + 1], letters[at]
    other = rng.choice([i for i in range(len(letters)) if i not in (at, at + 1)])
    letters[other] = rng.choice([c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c != letters[other]])
    return "".join(letters)


def queries_draw(
    records: Sequence[MatchRecord], count: int, seed: int, stored_names: str
) -> dict[str, list[Any]]:
    """``count`` searches of each kind but ``posted_full_name`` (which repeats ``full_name``), drawn
    from ``records`` with ``Random(seed)``. ``stored_names`` is every stored folded name, one per
    line, written without the joiners search ignores (:func:`~hbm.registration.values.
    search_compact`): an ``absent`` surname is drawn again until it is in none of them, not even
    inside a word or across two (the new search looks for words there).

    Raises ``ValueError`` when ``records`` hold nothing to draw a kind from."""
    rng = Random(seed)
    originals = [r for r in records if r.original]
    fathers = [r.father for r in records if r.father]
    long_surnames = [
        r.surname for r in records if len(r.surname) >= FRAGMENT_SURNAME_MIN_LETTERS and r.surname.isalpha()
    ]
    if not (originals and fathers and long_surnames):
        raise ValueError("too few records to draw every kind of query from")

    def full_name() -> Query:
        record = rng.choice(records)
        return f"{record.given.title()} {record.surname.title()}", ""

    def original() -> Query:
        given, surname = original_names(rng.choice(originals).original)
        return " ".join(part for part in (surname, given) if part), ""

    def fragment() -> Query:
        surname = rng.choice(long_surnames)
        at = rng.randint(1, len(surname) - FRAGMENT_LETTERS - 1)  # neither its start nor its end
        return surname[at : at + FRAGMENT_LETTERS].lower(), ""

    def absent() -> Query:
        while (surname := misspelt(rng.choice(long_surnames), rng)) in stored_names:
            pass
        return f"{rng.choice(records).given.split()[0].title()} {surname.title()}", ""

    spellings = {s.canonical: (s.canonical, *s.variants) for s in variant_sets()}
    respellable = [
        (record, others)
        for record in records
        if record.given
        and (first := record.given.split()[0].upper())
        and (others := [w for w in spellings.get(canonical(first), ()) if w != first])
    ]
    if not respellable:
        raise ValueError("no record has a given name with another spelling in the variant table")

    def respelt() -> Query:
        record, others = rng.choice(respellable)
        return f"{rng.choice(others).title()} {record.surname.title()}", ""

    def respelt_born() -> Sought:
        record, others = rng.choice(born)
        query = f"{rng.choice(others).title()} {record.surname.title()}"
        return query, str(record.birth_date), record.given, record.surname

    born = [(record, others) for record, others in respellable if record.birth_date is not None]
    respellable_fathers = [
        (father, others)
        for father in fathers
        if (first := father.split()[0].upper())
        and (others := [w for w in spellings.get(canonical(first), ()) if w != first])
    ]
    if not respellable_fathers:
        raise ValueError("no father's name has a first name with another spelling in the variant table")

    def parent_respelt() -> Query:
        father, others = rng.choice(respellable_fathers)
        return "", " ".join((rng.choice(others).title(), *father.split()[1:]))

    draws: dict[str, Callable[[], Query]] = {
        "full_name": full_name,
        "surname": lambda: (rng.choice(records).surname.title(), ""),
        "fragment": fragment,
        "original": original,
        "parent": lambda: ("", rng.choice(fathers)),
        "absent": absent,
        "respelt": respelt,
    }
    drawn: dict[str, list[Any]] = {kind: [draw() for _ in range(count)] for kind, draw in draws.items()}
    drawn["respelt_born"] = [respelt_born() for _ in range(count)]
    drawn["parent_respelt"] = [parent_respelt() for _ in range(count)]  # last: the others drawn as before
    return drawn


# --- steps run in a subprocess ------------------------------------------------------------------------


def person_of(record: MatchRecord, point: Any, officer: Any, moment: datetime) -> Person:
    """The person ``record`` registers at ``point``, with the search columns folded and keyed as the
    registration service does (:func:`hbm.registration.values.search_columns_of`)."""
    from hbm.registration.enums import BirthDateAccuracy, Sex
    from hbm.registration.models import Person
    from hbm.registration.values import search_columns_of

    given_original, surname_original = original_names(record.original)
    return Person(
        given_names_original=given_original,
        surname_original=surname_original,
        given_names_latin=record.given,
        surname_latin=record.surname,
        **search_columns_of(
            surname_latin=record.surname,
            given_names_latin=record.given,
            surname_original=surname_original,
            given_names_original=given_original,
            father_name=record.father,
            mother_name=record.mother,
        ),
        sex=record.sex or Sex.UNSPECIFIED,
        date_of_birth=record.birth_date or date(moment.year - UNKNOWN_AGE_YEARS, 1, 1),
        birth_date_accuracy=record.birth_accuracy.value if record.birth_date else BirthDateAccuracy.ESTIMATED,
        nationality=record.nationality or UNKNOWN_NATIONALITY,
        place_of_birth=record.place_of_birth,
        father_name=record.father,
        mother_name=record.mother,
        languages=[record.language] if record.language else [],
        registered_at=point,
        registered_by=officer,
        dedup_checked_at=moment,
    )


def _sizes_mb() -> tuple[float, float]:
    """(the word index, the whole database) in MB; the index 0 where it does not exist."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [f"{FTS_TABLE}%"])
            (index,) = cursor.fetchone()
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        else:
            cursor.execute(
                "SELECT SUM(pg_relation_size(oid)) FROM pg_class WHERE relkind = 'i' AND relname = ANY(%s)",
                [list(TRIGRAM_INDEXES)],
            )
            (index,) = cursor.fetchone()
            cursor.execute("SELECT pg_database_size(current_database())")
        (database,) = cursor.fetchone()
    # SUM of PostgreSQL's bigint sizes is a numeric (a Decimal here): floats, for JSON.
    return round(float(index or 0) / 1_000_000, 1), round(float(database) / 1_000_000, 1)


def _step_load(persons: int, queries: int, seed: int, drawn: Path) -> dict[str, Any]:
    from django.db import connection, transaction

    from hbm.bench.adjudication import points_and_people
    from hbm.core.time import now
    from hbm.engines.synthetic import population
    from hbm.registration.enums import Direction, Tier, Transport
    from hbm.registration.models import Encounter, Person
    from hbm.registration.values import search_compact

    started = time.perf_counter()
    records = population(persons, seed=seed).records
    here, there, officer = points_and_people()
    moment = now()
    names: list[str] = []
    for first in range(0, len(records), BATCH):
        batch = [
            person_of(record, (here, there)[index % 2], officer, moment)
            for index, record in enumerate(records[first : first + BATCH], start=first)
        ]
        encounters = [
            Encounter(
                crossing_point=person.registered_at,
                occurred_at=moment - timedelta(seconds=10 * (len(records) - first - offset)),
                direction=Direction.ENTRY,
                tier=Tier.INDIVIDUAL,
                transport=Transport.LAND,
                mode=person.registered_at.mode,
                officer=officer,
                device="bench",
                person=person,
            )
            for offset, person in enumerate(batch)
        ]
        with transaction.atomic():
            Person.objects.bulk_create(batch, batch_size=BATCH)
            Encounter.objects.bulk_create(encounters, batch_size=BATCH)
        names += [
            search_compact(name)
            for person in batch
            for name in (person.search_name, person.search_original)
            if name
        ]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    drawn.write_text(json.dumps(queries_draw(records, queries, seed, "\n".join(names))))
    index_mb, database_mb = _sizes_mb()
    return {
        "persons": Person.objects.count(),
        "seconds": time.perf_counter() - started,
        "index_mb": index_mb,
        "database_mb": database_mb,
    }


def former_search(*, actor: Actor, query: str = "", parent_name: str = "") -> list[Person]:
    """The person search as it was before words were indexed: a folded substring of the names (either
    script) and of a parent's name, over every visible person; not audited (the peer of the timed
    :func:`hbm.registration.selectors.persons_search`, not a search anyone uses)."""
    from django.db.models import Q

    from hbm.registration.selectors import _visible_persons
    from hbm.registration.values import search_fold

    persons = _visible_persons(actor)
    if folded := search_fold(query):
        persons = persons.filter(Q(search_name__contains=folded) | Q(search_original__contains=folded))
    if parent := search_fold(parent_name):
        persons = persons.filter(
            Q(father_search_name__contains=parent) | Q(mother_search_name__contains=parent)
        )
    return list(persons.select_related("registered_at").order_by("search_name")[:SEARCH_LIMIT])


def _step_search(drawn: Path) -> dict[str, Any]:
    from hbm.accounts.models import User
    from hbm.core.context import Actor
    from hbm.registration.selectors import persons_search

    coordinator = Actor(user=User.objects.get(username="bench.coordinator"), device="cli")
    posted = Actor(user=User.objects.get(username="bench.screening_officer"), device="cli")
    loaded = json.loads(drawn.read_text())
    sought: list[Sought] = [
        (query, born, given, surname) for query, born, given, surname in loaded.pop("respelt_born")
    ]
    queries: dict[str, list[tuple[str, str, str]]] = {
        kind: [(query, parent, "") for query, parent in pairs] for kind, pairs in loaded.items()
    }
    queries["posted_full_name"] = queries["full_name"]
    queries["full_name_sounds"] = queries["full_name"]
    queries["respelt_born"] = [(query, "", born) for query, born, _, _ in sought]

    def by(sounds_like: bool) -> _Search:
        def search(actor: Actor, query: str, parent_name: str, born: str) -> list[Person]:
            return persons_search(
                actor=actor,
                query=query,
                parent_name=parent_name,
                date_of_birth=date.fromisoformat(born) if born else None,
                sounds_like=sounds_like,
                limit=SEARCH_LIMIT,
            )

        return search

    def former(actor: Actor, query: str, parent_name: str, born: str) -> list[Person]:
        return former_search(actor=actor, query=query, parent_name=parent_name)

    figures: dict[str, Any] = {}
    for kind in (*KINDS, *SOUND_KINDS):
        actor = posted if kind == "posted_full_name" else coordinator
        searches: dict[str, _Search] = (
            {kind: by(sounds_like=True), f"{kind}_words": by(sounds_like=False)}
            if kind in SOUND_KINDS
            else {kind: by(sounds_like=False), f"{kind}_former": former}
        )
        for query, parent_name, born in queries[kind][:WARMUP_QUERIES]:
            for search in searches.values():
                search(actor, query, parent_name, born)
        latencies: dict[str, list[float]] = {name: [] for name in searches}
        hits: dict[str, int] = dict.fromkeys(searches, 0)
        found: dict[str, int] = dict.fromkeys(searches, 0)
        for turn, (query, parent_name, born) in enumerate(queries[kind]):
            for name in sorted(searches, reverse=turn % 2 == 1):  # each goes first on every other query
                began = time.perf_counter()
                persons = searches[name](actor, query, parent_name, born)
                latencies[name].append(time.perf_counter() - began)
                hits[name] += len(persons)
                if kind == "respelt_born":
                    _, _, given, surname = sought[turn]
                    found[name] += any(
                        p.given_names_latin == given and p.surname_latin == surname for p in persons
                    )
        for name in searches:
            figures[name] = latencies[name]
            figures[f"{name}_hits"] = round(hits[name] / len(queries[kind]), 2)
            if kind == "respelt_born":
                figures[f"{name}_found"] = round(found[name] / len(queries[kind]), 3)
    figures["database"] = database_version()
    return figures


def _step(argv: Sequence[str]) -> None:
    django_setup()
    step = argv[0]
    if step == "migrate":
        step_migrate()
    elif step == "load":
        print(json.dumps(_step_load(int(argv[1]), int(argv[2]), int(argv[3]), Path(argv[4]))))
    elif step == "search":
        print(json.dumps(_step_search(Path(argv[1]))))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _step(sys.argv[1:])
