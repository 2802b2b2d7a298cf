"""Names in Pashto and Urdu letters are found however they were typed: on a Pashto or Urdu keyboard,
or with the Arabic or Persian letter typed in place of the one that keyboard lacks (decision 0029);
and search values folded by earlier rules are made again at migrate, not trusted."""

from __future__ import annotations

import pytest
from django.db import connection

from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.dedup.services import dedup_pending_claim, dedup_pending_process
from hbm.registration.models import Person
from hbm.registration.search_index import VERSION_TABLE, search_columns_refresh, search_index_ensure
from hbm.registration.selectors import persons_search
from hbm.registration.values import search_columns_of, search_fold
from tests.factories import person_named

pytestmark = pytest.mark.django_db

# Pashto, as typed on a Pashto keyboard, and as typed on a Persian (Dari) keyboard.
GULALAI_PASHTO = "\u06ab\u0644\u0627\u0644\u06cd"  # ګلالۍ: KAF WITH RING, YEH WITH TAIL
GULALAI_PERSIAN = "\u06af\u0644\u0627\u0644\u06cc"  # گلالی: GAF, FARSI YEH
WARDAK_PASHTO = "\u0648\u0631\u062f\u06ab"  # وردګ
WARDAK_PERSIAN = "\u0648\u0631\u062f\u06af"  # وردگ
TORIALAI_PASHTO = "\u067c\u0648\u0631\u06cc\u0627\u0644\u06cc"  # ټوریالی: TEH WITH RING
TORIALAI_PERSIAN = "\u062a\u0648\u0631\u06cc\u0627\u0644\u06cc"  # توریالی
# Urdu, as typed on an Urdu keyboard, and on an Arabic one.
BHUTTO_URDU = "\u0628\u06be\u0679\u0648"  # بھٹو: HEH DOACHASHMEE, TTEH
BHUTTO_ARABIC = "\u0628\u0647\u062a\u0648"  # بهتو
SHAH_URDU = "\u0634\u0627\u06c1"  # شاہ: HEH GOAL
SHAH_ARABIC = "\u0634\u0627\u0647"  # شاه
ZADRAN_PASHTO = "\u0681\u062f\u0631\u0627\u06bc"  # ځدراڼ: DZE kept, NOON WITH RING folded


def _afghan(actor: Actor, point: CrossingPoint, surname: str, given: str, **more: str) -> Person:
    return person_named(
        actor,
        point,
        "Wardak",
        "Gulalai",
        nationality="AFG",
        given_names_original=given,
        surname_original=surname,
        **more,
    )


def _found(actor: Actor, query: str) -> list[Person]:
    return persons_search(actor=actor, query=query)


def test_a_pashto_name_is_found_typed_on_a_persian_keyboard(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    gulalai = _afghan(actor, crossing_point, WARDAK_PASHTO, GULALAI_PASHTO)

    assert _found(actor, f"{GULALAI_PERSIAN} {WARDAK_PERSIAN}") == [gulalai]
    assert _found(actor, GULALAI_PASHTO) == [gulalai]


def test_a_name_typed_on_a_persian_keyboard_is_found_in_pashto_letters(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    gulalai = _afghan(actor, crossing_point, WARDAK_PERSIAN, GULALAI_PERSIAN)

    assert _found(actor, f"{WARDAK_PASHTO} {GULALAI_PASHTO}") == [gulalai]


def test_an_urdu_name_is_found_typed_on_an_arabic_keyboard(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    bhutto = person_named(
        actor, crossing_point, "Bhutto", "Shah", nationality="PAK", surname_original=BHUTTO_URDU,
        given_names_original=SHAH_URDU,
    )  # fmt: skip

    assert _found(actor, f"{SHAH_ARABIC} {BHUTTO_ARABIC}") == [bhutto]
    assert persons_search(actor=actor, query=BHUTTO_ARABIC, sounds_like=True) == [bhutto]


def test_a_parent_named_in_pashto_letters_is_found_typed_on_a_persian_keyboard(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    child = _afghan(actor, crossing_point, WARDAK_PASHTO, GULALAI_PASHTO, father_name=TORIALAI_PASHTO)

    assert persons_search(actor=actor, parent_name=TORIALAI_PERSIAN) == [child]


def test_letters_whose_stand_in_varies_are_kept() -> None:
    # DZE is typed as ZAIN by some writers and JEEM by others: folding it would make two names one.
    assert search_fold(ZADRAN_PASHTO) == "\u0681\u062f\u0631\u0627\u0646"


@pytest.fixture
def folded_earlier(actor: Actor, crossing_point: CrossingPoint) -> tuple[Person, Person]:
    """Gulalai, whose names in Pashto letters the fold before them left as typed, and Mohamed, whose
    values it made as now; both checked for duplicates; no version of the values recorded."""
    gulalai = _afghan(actor, crossing_point, WARDAK_PASHTO, GULALAI_PASHTO)
    mohamed = person_named(actor, crossing_point, "Haddad", "Mohamed")
    dedup_pending_process()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_person_search_version")
        cursor.execute(
            "UPDATE registration_person SET search_original = %s WHERE id = %s",
            [f"{WARDAK_PASHTO} {GULALAI_PASHTO}", gulalai.pk.hex],
        )
    return gulalai, mohamed


def test_values_folded_by_earlier_rules_are_made_again(
    actor: Actor, folded_earlier: tuple[Person, Person]
) -> None:
    gulalai, mohamed = folded_earlier
    assert _found(actor, GULALAI_PERSIAN) == []
    before = {p.pk: p.updated_at for p in Person.objects.all()}

    assert search_index_ensure(connection) is True

    assert _found(actor, GULALAI_PERSIAN) == [gulalai]
    assert {p.pk: p.updated_at for p in Person.objects.all()} == before  # the names did not change
    made = search_columns_of("Haddad", "Mohamed", "", "", "", "")
    assert {column: getattr(Person.objects.get(pk=mohamed.pk), column) for column in made} == made
    assert search_columns_refresh(connection) == 0  # recorded: nothing to do until the rules change


def test_a_person_whose_original_names_fold_differently_is_checked_again_behind_new_arrivals(
    actor: Actor, crossing_point: CrossingPoint, folded_earlier: tuple[Person, Person]
) -> None:
    gulalai, mohamed = folded_earlier
    arrival = person_named(actor, crossing_point, "Karimi", "Ali")

    assert search_columns_refresh(connection) == 1

    # The matcher keys names in their own script with the same fold: Gulalai's key changed.
    assert Person.objects.get(pk=gulalai.pk).dedup_swept
    assert Person.objects.get(pk=mohamed.pk).dedup_checked_at is not None
    assert dedup_pending_claim(limit=2) == [arrival.pk, gulalai.pk]


def test_only_the_persons_whose_values_change_are_written(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    _afghan(actor, crossing_point, WARDAK_PASHTO, GULALAI_PASHTO)
    person_named(actor, crossing_point, "Haddad", "Mohamed")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registration_person_search_version")

    assert search_columns_refresh(connection, batch=1) == 0


def test_the_version_of_the_sound_keys_alone_is_dropped(actor: Actor, crossing_point: CrossingPoint) -> None:
    person_named(actor, crossing_point, "Haddad", "Mohamed")
    with connection.cursor() as cursor:  # as decision 0028 recorded it
        cursor.execute("CREATE TABLE registration_person_sounds_version (version TEXT NOT NULL)")
        cursor.execute("DELETE FROM registration_person_search_version")

    search_index_ensure(connection)

    tables = connection.introspection.table_names()
    assert VERSION_TABLE in tables
    assert "registration_person_sounds_version" not in tables
