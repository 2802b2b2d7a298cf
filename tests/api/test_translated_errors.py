"""Refusals in the client's language: a field device sends Accept-Language and reads the service's
message in French or Arabic, with every figure kept; English clients read today's English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from hbm.accounts.models import User
from hbm.audit.models import AuditEntry
from hbm.core.time import today
from hbm.crossings.models import CrossingPoint, ModeDecision
from hbm.registration.models import Document, Encounter, Group, Person
from hbm.registration.values import MAX_AGE_YEARS
from tests.api.conftest import assert_matches_openapi

pytestmark = pytest.mark.django_db

GOOD = {
    "given_names_latin": "Ahmad",
    "surname_latin": "Karimi",
    "sex": "M",
    "nationality": "AFG",
    "estimated_age": 40,
}
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3_BAD_NUMBER_CHECK = TD3.replace("C36", "C37")
# A valid token with its check character changed: the check fails, nothing else.
MISTYPED_TOKEN = "K7QM-4XR2-Q"
REASON = "Arrivals fell below 500 a day for a week"


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    # The locale middleware leaves the request's language active on the thread; tests that call
    # services directly afterwards must not inherit French or Arabic.
    yield
    translation.activate("en")


def _rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Person, Group, Encounter, Document, AuditEntry))


def _client(user: User, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _person_post(client: Client, point: CrossingPoint, **change: Any) -> Any:
    return client.post(
        f"/api/crossing-points/{point.pk}/persons", {**GOOD, **change}, content_type="application/json"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "must be between {low} and {high}"),
        ("fr", "doit être compris entre {low} et {high}"),
        ("ar", "يجب أن يكون بين {low} و{high}"),
    ],
)
def test_a_birth_year_out_of_range_is_refused_in_the_clients_language(
    officer: User, crossing_point: CrossingPoint, language: str, expected: str
) -> None:
    before = _rows()
    high = today().year
    message = expected.format(low=high - MAX_AGE_YEARS, high=high)

    response = _person_post(_client(officer, language), crossing_point, estimated_age=None, birth_year=1800)

    assert_matches_openapi(response)
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": f"birth_year: {message}",
        "fields": {"birth_year": [message]},
    }
    assert _rows() == before


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "in normal mode give the date or year of birth"),
        ("fr", "en mode normal, indiquez la date ou l’année de naissance"),
        ("ar", "في وضع «عادي» أدخل تاريخ الميلاد أو سنته"),
    ],
)
def test_an_estimated_age_with_a_document_in_normal_mode_names_the_mode_in_the_clients_language(
    officer: User, crossing_point: CrossingPoint, language: str, expected: str
) -> None:
    CrossingPoint.objects.filter(pk=crossing_point.pk).update(mode="normal")
    before = _rows()

    response = _person_post(
        _client(officer, language),
        crossing_point,
        place_of_birth="Herat",
        documents=[{"kind": "passport", "mrz": TD3}],
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"estimated_age": [expected]}
    assert _rows() == before


# Changing the document number's check digit breaks the composite check digit too.
CHECK_DIGITS = {
    "en": (
        "check digit of L898902C3 failed: expected 6, found 7",
        "check digit of L898902C3774081221204159ZE184226B<<<<<1 failed: expected 7, found 0",
        "check digit failed (document number, whole zone); correct the MRZ or mark the document damaged",
    ),
    "fr": (
        "chiffre de contrôle de L898902C3 faux\xa0: attendu 6, lu 7",
        "chiffre de contrôle de L898902C3774081221204159ZE184226B<<<<<1 faux\xa0: attendu 7, lu 0",
        "chiffre de contrôle faux (numéro du document, zone entière)\xa0; corrigez la MRZ ou indiquez que "
        "le document est endommagé",
    ),
    "ar": (
        "رقم التحقق الخاص بـ«L898902C3» غير صحيح: المتوقَّع 6، والمقروء 7",
        "رقم التحقق الخاص بـ«L898902C3774081221204159ZE184226B<<<<<1» غير صحيح: المتوقَّع 7، والمقروء 0",
        "رقم التحقق غير صحيح (رقم الوثيقة، المنطقة كاملة)؛ صحِّح منطقة القراءة الآلية أو أشِر إلى أن الوثيقة "
        "تالفة",
    ),
}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_failed_mrz_check_digit_is_named_in_the_clients_language(
    officer: User, crossing_point: CrossingPoint, language: str
) -> None:
    number, composite, summary = CHECK_DIGITS[language]
    before = _rows()

    response = _person_post(
        _client(officer, language),
        crossing_point,
        documents=[{"kind": "passport", "mrz": TD3_BAD_NUMBER_CHECK}],
    )

    assert_matches_openapi(response)
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": f"documents.0.mrz: {summary}",
        "fields": {"documents.0.mrz.document_number": [number], "documents.0.mrz.composite": [composite]},
    }
    assert _rows() == before


MISTYPED = {
    "en": "The check character does not match: the token was probably mistyped.",
    "fr": "Le caractère de contrôle ne correspond pas\xa0: le jeton a probablement été mal saisi.",
    "ar": "حرف التحقق غير مطابق: على الأرجح أُدخل الرمز بشكل خاطئ.",
}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_mistyped_group_token_is_refused_in_the_clients_language(
    officer: User, crossing_point: CrossingPoint, language: str
) -> None:
    client = _client(officer, language)
    before = _rows()

    preregistered = client.post(
        f"/api/crossing-points/{crossing_point.pk}/groups",
        {"size": 3, "head_name": "Olena Kovalenko", "nationality": "UKR", "token": MISTYPED_TOKEN},
        content_type="application/json",
    )
    looked_up = client.get(f"/api/groups/by-token/{MISTYPED_TOKEN}")
    searched = client.get("/api/persons", {"token": MISTYPED_TOKEN})

    for response in (preregistered, looked_up, searched):
        assert_matches_openapi(response)
        assert response.status_code == 422
        assert response.json() == {
            "code": "invalid",
            "message": f"token: {MISTYPED[language]}",
            "fields": {"token": [MISTYPED[language]]},
        }
    assert _rows() == before


@pytest.mark.parametrize(
    ("language", "token", "expected"),
    [
        ("en", "ABC", "A token has 9 characters (8 and a check character), not counting spaces and "
         "dashes; this one has 3."),
        ("fr", "ABC", "Un jeton compte 9 caractères (8 et un caractère de contrôle), sans compter les "
         "espaces et les tirets\xa0; celui-ci en a 3."),
        ("ar", "ABCD-EFGH-I", "الحرف «I» في الموضع 9 لا يُستخدم في الرموز (لا تستخدم الرموز أبدًا 0 أو 1 "
         "أو I أو O)."),
    ],
)  # fmt: skip
def test_a_malformed_group_token_names_the_length_or_the_character(
    officer: User, crossing_point: CrossingPoint, language: str, token: str, expected: str
) -> None:
    response = _person_post(
        _client(officer, language), crossing_point, group_token=token, relationship="child"
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"group_token": [expected]}
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "field_message", "summary"),
    [
        ("en", "not allowed from emergency", "a crossing point in emergency mode cannot switch to normal "
         "(allowed: recovery)"),
        ("fr", "non autorisé depuis le mode urgence", "un point de passage en mode urgence ne peut pas "
         "passer en mode normal (autorisé\xa0: relèvement)"),
        ("ar", "غير مسموح انطلاقًا من وضع «طوارئ»", "لا يمكن لنقطة عبور في وضع «طوارئ» الانتقال إلى "
         "وضع «عادي» (المسموح: تعافٍ)"),
    ],
)  # fmt: skip
def test_a_mode_switch_not_allowed_is_refused_in_the_clients_language(
    coordinator: User, crossing_point: CrossingPoint, language: str, field_message: str, summary: str
) -> None:
    audit_before = AuditEntry.objects.count()

    response = _client(coordinator, language).post(
        f"/api/crossing-points/{crossing_point.pk}/mode",
        {"to_mode": "normal", "reason": REASON},
        content_type="application/json",
    )

    assert_matches_openapi(response)
    assert response.status_code == 409
    assert response.json() == {"code": "conflict", "message": summary, "fields": {"to_mode": [field_message]}}
    assert not ModeDecision.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert CrossingPoint.objects.get(pk=crossing_point.pk).mode == "emergency"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "give the reason for the decision (at least 10 characters)"),
        ("fr", "indiquez le motif de la décision (au moins 10 caractères)"),
        ("ar", "اذكر سبب القرار (10 أحرف على الأقل)"),
    ],
)
def test_a_mode_switch_without_a_reason_counts_the_characters_in_the_clients_language(
    coordinator: User, crossing_point: CrossingPoint, language: str, expected: str
) -> None:
    response = _client(coordinator, language).post(
        f"/api/crossing-points/{crossing_point.pk}/mode",
        {"to_mode": "recovery", "reason": "short"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"reason": [expected]}
    assert not ModeDecision.objects.exists()


TD3_LINE_2 = TD3.split("\n")[1]


@pytest.mark.parametrize(
    ("language", "mrz", "field", "expected"),
    [
        ("en", TD3_LINE_2, "mrz.text", "An MRZ has 2 or 3 lines; this one has 1."),
        ("fr", TD3_LINE_2, "mrz.text", "Une MRZ compte 2 ou 3 lignes\xa0; celle-ci en compte 1."),
        ("en", TD3.replace("ERIKSSON", "ERIK SON"), "mrz.line_1",
         "Line 1 has a space at position 10; MRZ lines have no spaces (the filler character is “<”)."),
        ("fr", TD3.replace("ERIKSSON", "ERIKSSØN"), "mrz.line_1",
         "La ligne 1 contient le caractère «\xa0Ø\xa0» en position 12\xa0; seuls A–Z, 0–9 et "
         "«\xa0<\xa0» peuvent figurer dans une MRZ."),
        ("ar", TD3.replace("ERIKSSON", "ERIKSSØN"), "mrz.line_1",
         "يحتوي السطر 1 على الحرف «Ø» في الموضع 12؛ ولا يجوز أن تحتوي منطقة القراءة الآلية إلا على A–Z "
         "و0–9 و«<»."),
        ("en", TD3[:-1], "mrz.line_2",
         "Line 2 has 43 characters; every line of an MRZ has 30 characters (identity card, 3 lines), 36 or "
         "44 (2 lines: card, visa or passport)."),
        ("ar", TD3[:-1], "mrz.line_2",
         "يحتوي السطر 2 على 43 حرفًا؛ ويتكوّن كل سطر في منطقة القراءة الآلية من 30 حرفًا (بطاقة هوية، 3 "
         "أسطر)، أو من 36 أو 44 حرفًا (سطران: بطاقة أو تأشيرة أو جواز سفر)."),
        ("fr", TD3.replace("2F12", "2Q12"), "mrz.line_2",
         "La ligne 2 contient «\xa0Q\xa0» en position 21, où figure le sexe\xa0; seuls F, M, X ou "
         "«\xa0<\xa0» peuvent y figurer."),
    ],
)  # fmt: skip
def test_an_mrz_that_cannot_be_read_names_the_line_and_the_character(
    officer: User, language: str, mrz: str, field: str, expected: str
) -> None:
    response = _client(officer, language).post(
        "/api/documents/mrz/check", {"mrz": mrz}, content_type="application/json"
    )

    assert_matches_openapi(response)
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": f"{field}: {expected}",
        "fields": {field: [expected]},
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "no such person"), ("fr", "personne introuvable"), ("ar", "هذا الشخص غير موجود")],
)
def test_not_found_and_unknown_fields_speak_the_clients_language(
    officer: User, crossing_point: CrossingPoint, language: str, expected: str
) -> None:
    client = _client(officer, language)

    missing = client.get("/api/persons/8f1b6f52-5a43-4a8e-9d4e-3f0f1c1d2e3a")
    unknown = _person_post(client, crossing_point, colour_of_eyes="brown")

    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": expected, "fields": {}}
    assert unknown.status_code == 422
    assert unknown.json()["fields"] == {
        "colour_of_eyes": [{"en": "unknown field", "fr": "champ inconnu", "ar": "حقل غير معروف"}[language]]
    }


def test_an_unauthenticated_client_is_told_in_its_language() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/api/auth/me")

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "سجِّل الدخول أو أرسل رمز جهاز صالحًا",
        "fields": {},
    }


def test_field_names_and_codes_stay_untranslated_when_a_document_breaks_a_rule(
    officer: User, crossing_point: CrossingPoint
) -> None:
    response = _person_post(
        _client(officer, "fr"),
        crossing_point,
        documents=[{"kind": "passport", "document_number": "", "issuing_state": "UKR"}],
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "message": "documents.0.document_number: indiquez le numéro ou la MRZ",
        "fields": {"documents.0.document_number": ["indiquez le numéro ou la MRZ"]},
    }
