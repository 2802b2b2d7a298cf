"""Finding a person by the names written in their own script, however the officer types them: in
either case on SQLite (whose LIKE folds ASCII only) as on PostgreSQL, and on a Persian or an Arabic
keyboard (ی/ي/ى, ک/ك, ة/ه, tatweel and zero-width joiners); only persons the reader may see; the
search audited with the criterion named, not the name typed."""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.selectors import persons_search
from hbm.registration.services import IndividualData, person_register
from hbm.registration.values import search_fold
from tests.api.conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db

# One name typed on two keyboards. Persian: ی U+06CC FARSI YEH, ک U+06A9 KEHEH. Arabic: ي U+064A
# YEH, ى U+0649 ALEF MAKSURA (for a final yeh), ك U+0643 KAF.
KARIMI_PERSIAN = "\u06a9\u0631\u06cc\u0645\u06cc"  # کریمی
KARIMI_ARABIC = "\u0643\u0631\u064a\u0645\u064a"  # كريمي
ALI_PERSIAN = "\u0639\u0644\u06cc"  # علی
ALI_ARABIC = "\u0639\u0644\u0649"  # على
ZWNJ = "\u200c"
TATWEEL = "\u0640"


def _register(
    actor: Actor, point: CrossingPoint, *, surname: str = "", given: str = "", **more: str
) -> Person:
    return person_register(
        actor=actor,
        crossing_point_id=point.pk,
        data=IndividualData(
            given_names_latin=more.pop("given_latin", "Test"),
            surname_latin=more.pop("surname_latin", "Person"),
            surname_original=surname,
            given_names_original=given,
            sex=Sex.MALE,
            nationality="AFG",
            estimated_age=30,
            **more,  # type: ignore[arg-type]
        ),
    )


def _last_search() -> AuditEntry:
    return AuditEntry.objects.filter(event=AuditEvent.PERSONS_SEARCHED).latest("seq")


# --- the fold ---------------------------------------------------------------------------------------


def test_the_compatibility_decomposition_already_takes_the_hamza_and_madda_off_alef() -> None:
    alefs = "\u0623\u0625\u0622"  # أ إ آ

    bases = "".join(c for c in unicodedata.normalize("NFKD", alefs) if not unicodedata.combining(c))

    assert bases == "\u0627\u0627\u0627"  # ا ا ا
    assert search_fold(alefs) == bases
    assert search_fold(unicodedata.normalize("NFD", "\u0623\u062d\u0645\u062f")) == "\u0627\u062d\u0645\u062f"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        (KARIMI_PERSIAN, KARIMI_ARABIC),
        (ALI_PERSIAN, "\u0639\u0644\u064a"),
        (ALI_ARABIC, "\u0639\u0644\u064a"),
        ("\u0641\u0627\u0637\u0645\u0629", "\u0641\u0627\u0637\u0645\u0647"),  # فاطمة → فاطمه
        (f"\u0639\u0628\u062f{ZWNJ}\u0627\u0644\u0644\u0647", "\u0639\u0628\u062f\u0627\u0644\u0644\u0647"),
        (f"\u0645{TATWEEL}\u062d{TATWEEL}\u0645\u062f", "\u0645\u062d\u0645\u062f"),  # مـحـمد → محمد
        ("\ufedb\ufeae\ufef4\ufee4\ufef2", KARIMI_ARABIC),  # presentation forms, as some keyboards send
        ("Коваленко  Олена", "КОВАЛЕНКО ОЛЕНА"),
        ("Zoë  Müller", "ZOE MULLER"),
    ],
)
def test_the_fold_unifies_case_keyboards_and_invisible_marks(typed: str, folded: str) -> None:
    assert search_fold(typed) == folded


# --- the person's own names -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["коваленко", "КОВАЛЕНКО", "Коваленко", "олена", "коваленко олена"])
@pytest.mark.parametrize("stored", [("КОВАЛЕНКО", "ОЛЕНА"), ("Коваленко", "Олена")])
def test_a_cyrillic_name_is_found_in_either_case(
    actor: Actor, crossing_point: CrossingPoint, typed: str, stored: tuple[str, str]
) -> None:
    olena = _register(actor, crossing_point, surname=stored[0], given=stored[1])

    assert persons_search(actor=actor, query=typed) == [olena]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (KARIMI_ARABIC, KARIMI_PERSIAN),
        (KARIMI_PERSIAN, KARIMI_ARABIC),
        (ALI_ARABIC, ALI_PERSIAN),
        (ALI_PERSIAN, ALI_ARABIC),
        (f"{ALI_ARABIC} {KARIMI_ARABIC}", f"{ALI_PERSIAN} {KARIMI_PERSIAN}"),
    ],
)
def test_a_name_typed_on_one_keyboard_is_found_typed_on_the_other(
    actor: Actor, crossing_point: CrossingPoint, stored: str, typed: str
) -> None:
    surname, _, given = stored.partition(" ")
    person = _register(actor, crossing_point, surname=surname, given=given)
    _register(actor, crossing_point, surname="\u0646\u0648\u0631\u06cc")  # نوری, another family

    assert persons_search(actor=actor, query=typed) == [person]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (f"\u0639\u0628\u062f{ZWNJ}\u0627\u0644\u0644\u0647", "\u0639\u0628\u062f\u0627\u0644\u0644\u0647"),
        ("\u0639\u0628\u062f\u0627\u0644\u0644\u0647", f"\u0639\u0628\u062f{ZWNJ}\u0627\u0644\u0644\u0647"),
        ("\u0645\u062d\u0645\u062f", f"\u0645{TATWEEL}\u062d{TATWEEL}\u0645\u062f"),
        (f"\u0645\u062d{TATWEEL}\u0645\u062f", "\u0645\u062d\u0645\u062f"),
        ("\u0641\u0627\u0637\u0645\u0629", "\u0641\u0627\u0637\u0645\u0647"),  # teh marbuta / heh
        ("\u0623\u062d\u0645\u062f", "\u0627\u062d\u0645\u062f"),  # أحمد / احمد
    ],
)
def test_zero_width_joiners_tatweel_and_letter_variants_are_ignored(
    actor: Actor, crossing_point: CrossingPoint, stored: str, typed: str
) -> None:
    person = _register(actor, crossing_point, given=stored)

    assert persons_search(actor=actor, query=typed) == [person]


def test_the_latin_names_are_still_found_and_a_name_of_neither_is_not(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    person = _register(
        actor, crossing_point, surname=KARIMI_PERSIAN, given=ALI_PERSIAN, surname_latin="Karimi"
    )

    assert persons_search(actor=actor, query="karimi") == [person]
    assert persons_search(actor=actor, query="\u0646\u0648\u0631\u064a") == []  # نوري


def test_an_officer_posted_elsewhere_finds_nobody_and_the_search_is_audited_without_the_name(
    actor: Actor, crossing_point: CrossingPoint, outsider: User
) -> None:
    _register(actor, crossing_point, surname=KARIMI_ARABIC, father_name=f"{ALI_ARABIC} {KARIMI_ARABIC}")

    found = persons_search(actor=Actor(user=outsider, device="test"), query=KARIMI_PERSIAN)
    by_father = persons_search(actor=Actor(user=outsider, device="test"), parent_name=ALI_PERSIAN)

    assert (found, by_father) == ([], [])
    entry = _last_search()
    assert entry.actor == outsider
    assert entry.detail == {"criteria": ["parent_name"], "hits": []}
    assert AuditEntry.objects.filter(event=AuditEvent.PERSONS_SEARCHED, actor=outsider).count() == 2


def test_the_audit_names_the_criterion_not_the_name_typed(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    person = _register(actor, crossing_point, surname="Коваленко")

    persons_search(actor=actor, query="коваленко")

    entry = _last_search()
    assert entry.detail == {"criteria": ["query"], "hits": [str(person.pk)]}
    assert "КОВАЛЕНКО" not in str(entry.detail).upper()


def test_the_api_and_the_web_search_find_a_lower_case_cyrillic_name(
    api: Callable[[User | None], Client], officer: User, actor: Actor, crossing_point: CrossingPoint
) -> None:
    olena = _register(actor, crossing_point, surname="КОВАЛЕНКО", given="ОЛЕНА")
    client = api(officer)

    found = client.get("/api/persons", {"q": "коваленко"})
    page = client.get("/persons/", {"q": "олена"}).content.decode()

    assert_matches_openapi(found)
    assert [p["id"] for p in found.json()] == [str(olena.pk)]
    assert f'href="/persons/{olena.pk}/"' in page


# --- a parent's name --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        (f"{ALI_ARABIC} {KARIMI_ARABIC}", KARIMI_PERSIAN),
        (f"{ALI_PERSIAN} {KARIMI_PERSIAN}", f"{ALI_ARABIC} {KARIMI_ARABIC}"),
        (f"\u0639\u0628\u062f{ZWNJ}\u0627\u0644\u0644\u0647", "\u0639\u0628\u062f\u0627\u0644\u0644\u0647"),
    ],
)
def test_a_parents_name_typed_on_one_keyboard_is_found_typed_on_the_other(
    actor: Actor, crossing_point: CrossingPoint, stored: str, typed: str
) -> None:
    son = _register(actor, crossing_point, father_name=stored)
    daughter = _register(actor, crossing_point, mother_name=stored)
    _register(actor, crossing_point, father_name="\u0646\u0648\u0631\u06cc")

    assert set(persons_search(actor=actor, parent_name=typed)) == {son, daughter}


# --- persons registered before ----------------------------------------------------------------------


def test_the_migration_folds_the_original_names_and_refolds_the_others_and_can_run_twice(
    actor: Actor, crossing_point: CrossingPoint
) -> None:
    karimi = _register(
        actor, crossing_point, surname=KARIMI_PERSIAN, given=ALI_PERSIAN, father_name=ALI_PERSIAN
    )
    olena = _register(actor, crossing_point, surname="Коваленко", given="Олена", mother_name="Галина")
    latin = _register(actor, crossing_point)
    # As before the migration: no search_original, the parents' names folded without the letter table.
    Person.objects.update(search_original="")
    Person.objects.filter(pk=karimi.pk).update(father_search_name=ALI_PERSIAN)
    migration = importlib.import_module("hbm.registration.migrations.0007_person_search_original")

    migration.search_names_fold(apps, None)
    migration.search_names_fold(apps, None)

    rows = {
        pk: rest
        for pk, *rest in Person.objects.values_list(
            "pk", "search_name", "search_original", "father_search_name", "mother_search_name"
        )
    }
    assert rows == {
        karimi.pk: ["PERSON TEST", f"{KARIMI_ARABIC} \u0639\u0644\u064a", "\u0639\u0644\u064a", ""],
        olena.pk: ["PERSON TEST", "КОВАЛЕНКО ОЛЕНА", "", "ГАЛИНА"],
        latin.pk: ["PERSON TEST", "", "", ""],
    }
    assert persons_search(actor=actor, query=ALI_ARABIC) == [karimi]
    assert persons_search(actor=actor, parent_name=ALI_ARABIC) == [karimi]


@pytest.mark.parametrize(
    "name",
    [
        KARIMI_PERSIAN,
        ALI_ARABIC,
        f"\u0639\u0628\u062f{ZWNJ}\u0627\u0644\u0644\u0647 \u0645{TATWEEL}\u062d\u0645\u062f",
        "\u0622\u0645\u0646\u0629 \u0623\u0633\u0627\u0645\u0629",  # آمنة أسامة
        "\u0624\u0627\u062f \u0626\u0627\u0645\u0644\u06c0",  # ؤاد ئاملۀ: hamza carriers, heh with yeh
        "\ufedb\ufeae\ufef4\ufee4\ufef2",
        "Коваленко Йосип",
        "Zoë Æsir Straße",
    ],
)
def test_the_migrations_frozen_fold_is_the_fold_of_today(name: str) -> None:
    migration = importlib.import_module("hbm.registration.migrations.0007_person_search_original")

    assert migration._fold(name) == search_fold(name)
