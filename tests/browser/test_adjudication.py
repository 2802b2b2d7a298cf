"""A screening officer, in a real browser, decides the pairs the duplicate checker found: opens the
queue, compares the two records side by side with the score's breakdown in words (in Arabic too),
links them as the same person and undoes it; a pair decided distinct leaves the queue for good."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from hbm.accounts.enums import Role
from hbm.audit.selectors import audit_chain_verify
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.dedup.enums import CandidateStatus
from hbm.dedup.holds import group_release, group_take
from hbm.dedup.labels import FIELD_LABELS, LEVEL_LABELS
from hbm.dedup.models import MatchCandidate
from hbm.dedup.services import dedup_pending_process, population_recheck
from hbm.registration.enums import Sex
from hbm.registration.models import Person
from hbm.registration.services import IndividualData, person_register
from tests.browser.fixtures import OfflinePage
from tests.browser.test_register_family import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def found_pair(actor: Actor, crossing_point: CrossingPoint) -> tuple[Person, Person, MatchCandidate]:
    """One man registered twice under two spellings, then checked by the worker."""

    def register(given: str, surname: str, place: str) -> Person:
        data = IndividualData(
            given_names_latin=given,
            surname_latin=surname,
            sex=Sex.MALE,
            nationality="SYR",
            date_of_birth=date(1990, 3, 14),
            place_of_birth=place,
        )
        return person_register(actor=actor, crossing_point_id=crossing_point.pk, data=data)

    first = register("Mohammed", "Al-Hassan", "Aleppo")
    second = register("Muhammad", "Alhassan", "Alepo")
    dedup_pending_process()
    return first, second, MatchCandidate.objects.get()


@pytest.fixture
def screening_officer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.SCREENING_OFFICER, username="samira")


def breakdown_in_words(candidate: MatchCandidate, language: str) -> set[tuple[str, str]]:
    """The (field, comparison) pairs the side-by-side screen should show, in ``language``."""
    with translation.override(language):
        return {
            (str(FIELD_LABELS[c["field"]]), str(LEVEL_LABELS[c["field"]][c["level"]]))
            for c in candidate.contributions
        }


def breakdown_shown(page: Any) -> set[tuple[str, str]]:
    rows = page.locator('[data-testid="contributions"] tbody tr')
    return {
        (
            rows.nth(i).locator("td").nth(0).inner_text().strip(),
            rows.nth(i).locator("td").nth(1).inner_text().strip(),
        )
        for i in range(rows.count())
    }


def open_the_pair_from_the_queue(page: Any, candidate: MatchCandidate) -> None:
    page.click('[data-testid="nav-duplicates"]')
    page.locator(f'[data-testid="group-{candidate.pk}"] a').click()  # a group of one pair opens the pair
    page.wait_for_selector('[data-testid="side-by-side"]')


def test_same_person_links_the_records_and_can_be_undone(
    offline_page: OfflinePage, found_pair: tuple[Person, Person, MatchCandidate], screening_officer: Any
) -> None:
    first, second, candidate = found_pair
    page = offline_page.page
    sign_in(page, "samira")

    open_the_pair_from_the_queue(page, candidate)

    table = page.inner_text('[data-testid="side-by-side"]')
    for value in ("Mohammed", "Muhammad", "Al-Hassan", "Alhassan", "Aleppo", "Alepo", "1990-03-14"):
        assert value in table
    assert breakdown_shown(page) == breakdown_in_words(candidate, "en")
    assert {("Given names", "same name"), ("Date of birth", "same date")} <= breakdown_shown(page)

    page.click('[data-testid="decide-same"]')
    page.wait_for_selector('[data-testid="decisions"]')
    assert MatchCandidate.objects.get().status == CandidateStatus.SAME
    page.locator('[data-testid="side-by-side"] thead a').first.click()
    page.wait_for_selector('[data-testid="same-as"]')
    low, high = (first, second) if first.pk == candidate.person_low_id else (second, first)
    assert page.url.endswith(f"/persons/{low.pk}/")
    link = page.locator(f'[data-testid="same-as"] a[href="/persons/{high.pk}/"]')
    assert link.inner_text() == f"{high.surname_latin}, {high.given_names_latin}"

    page.go_back()
    page.locator('[data-testid="decisions"] button[data-testid^="undo-"]').click()
    page.wait_for_selector('[data-testid="decide-same"]')  # open again: it can be decided anew
    assert MatchCandidate.objects.get().status == CandidateStatus.OPEN
    page.goto(f"/persons/{low.pk}/")
    assert page.locator('[data-testid="same-as"]').count() == 0
    assert audit_chain_verify().is_intact


def test_a_pair_decided_distinct_leaves_the_queue_for_good(
    offline_page: OfflinePage, found_pair: tuple[Person, Person, MatchCandidate], screening_officer: Any
) -> None:
    _, _, candidate = found_pair
    page = offline_page.page
    sign_in(page, "samira")
    open_the_pair_from_the_queue(page, candidate)

    page.fill("#reason", "different fathers' names on their documents")
    page.click('[data-testid="decide-distinct"]')
    page.wait_for_selector('[data-testid="decisions"]')
    population_recheck()  # a sweep after a threshold change finds the pair again …
    dedup_pending_process()
    page.click('[data-testid="nav-duplicates"]')

    page.wait_for_selector('[data-testid="no-duplicates"]')  # … and does not bring it back
    assert page.locator('[data-testid^="group-"]').count() == 0
    page.click('[data-testid="status-distinct"]')
    page.wait_for_selector(f'[data-testid="pair-{candidate.pk}"]')
    assert MatchCandidate.objects.get().status == CandidateStatus.DISTINCT


def test_the_breakdown_is_in_arabic_right_to_left(
    offline_page: OfflinePage, found_pair: tuple[Person, Person, MatchCandidate], screening_officer: Any
) -> None:
    _, _, candidate = found_pair
    page = offline_page.page
    sign_in(page, "samira")
    open_the_pair_from_the_queue(page, candidate)

    page.click("#language-ar")
    page.wait_for_selector('html[dir="rtl"]')
    page.wait_for_selector('[data-testid="contributions"]')

    assert page.get_attribute("html", "lang") == "ar"
    assert page.inner_text("h1") == "الشخص نفسه؟"
    assert breakdown_shown(page) == breakdown_in_words(candidate, "ar")
    assert ("تاريخ الميلاد", "التاريخ نفسه") in breakdown_shown(page)  # "Date of birth", "same date"


@pytest.fixture
def four_namesakes(actor: Actor, crossing_point: CrossingPoint) -> list[Person]:
    """One Afghan name spelled four ways, born in 1990 (the year only). The two who name their
    father, Ghulam, are linked by the checks; the five other pairs wait, one review group."""
    persons = [
        person_register(
            actor=actor,
            crossing_point_id=crossing_point.pk,
            data=IndividualData(
                given_names_latin=given,
                surname_latin=surname,
                sex=Sex.MALE,
                nationality="AFG",
                birth_year=1990,
                place_of_birth="Kabul",
                father_name=father,
            ),
        )
        for given, surname, father in (
            ("Mohammad", "Ahmadi", "Ghulam"),
            ("Mohammed", "Ahmadi", "Ghulam"),
            ("Muhammad", "Ahmady", ""),
            ("Mohamad", "Ahmadi", ""),
        )
    ]
    dedup_pending_process()
    return persons


def test_four_namesakes_are_reviewed_on_one_screen_and_decided_with_one_answer(
    offline_page: OfflinePage, four_namesakes: list[Person], screening_officer: Any
) -> None:
    page = offline_page.page
    sign_in(page, "samira")
    page.click('[data-testid="nav-duplicates"]')
    assert "5 pairs waiting, in 1 group." in page.inner_text('[data-testid="queue-size"]')
    page.locator('[data-testid^="group-"] a').click()
    page.wait_for_selector('[data-testid="group-form"]')
    assert page.locator('[data-testid="side-by-side"] thead th').count() == 5  # the field, four records
    # two records name the father, two do not: a value missing is not a difference
    father = page.locator('[data-testid="side-by-side"] tr', has_text="Father")
    assert father.get_attribute("class") == "partial"
    assert father.locator("td.not-recorded").all_inner_texts() == ["not recorded"] * 2
    shown = page.locator('[data-testid="side-by-side"] thead a')
    ids = [(shown.nth(i).get_attribute("href") or "").split("/")[2] for i in range(4)]
    linked = {str(p.pk) for p in four_namesakes[:2]}
    for number, pk in enumerate(ids, start=1):  # the two already linked share a letter, shown
        assert page.input_value(f'[data-testid="letter-{number}"]') == ("A" if pk in linked else "")

    page.click('[data-testid="decide-group"]')  # two records without a letter: the browser asks
    assert page.locator('[data-testid="group-form"]').count() == 1
    unlinked = [number for number, pk in enumerate(ids, start=1) if pk not in linked]
    page.select_option(f'[data-testid="letter-{unlinked[0]}"]', "A")
    page.select_option(f'[data-testid="letter-{unlinked[1]}"]', "B")
    page.fill("#reason", "same tazkira as the two sons of Ghulam; the last one has another")
    page.click('[data-testid="decide-group"]')

    page.wait_for_selector('[data-testid="no-duplicates"]')
    assert "Decided 5 pairs: 2 linked as one person" in page.inner_text("main")
    assert MatchCandidate.objects.filter(status=CandidateStatus.SAME).count() == 3
    assert MatchCandidate.objects.filter(status=CandidateStatus.DISTINCT).count() == 3
    assert audit_chain_verify().is_intact


def test_a_pair_opened_from_its_group_says_so_and_leads_back_to_the_group(
    offline_page: OfflinePage, four_namesakes: list[Person], screening_officer: Any
) -> None:
    page = offline_page.page
    sign_in(page, "samira")
    page.click('[data-testid="nav-duplicates"]')
    page.locator('[data-testid^="group-"] a').click()
    page.wait_for_selector('[data-testid="group-form"]')

    page.locator('[data-testid="group-pairs"] tbody a').first.click()
    page.wait_for_selector('[data-testid="side-by-side"]')
    page.wait_for_load_state("load")  # the stylesheet too: computed styles are read below

    notice = page.locator('[data-testid="in-group"]')
    assert "review group of 4 records" in notice.inner_text()
    missing = page.locator('[data-testid="side-by-side"] td.not-recorded').first
    assert missing.evaluate("cell => getComputedStyle(cell).fontStyle") == "italic"
    assert missing.evaluate("cell => getComputedStyle(cell).color") == "rgb(73, 81, 93)"  # --muted
    notice.locator('[data-testid="open-group"]').click()
    page.wait_for_selector('[data-testid="group-form"]')
    assert page.locator('[data-testid="side-by-side"] thead th').count() == 5


def test_a_group_another_adjudicator_reviews_waits_for_them_and_review_next_gives_what_is_free(
    offline_page: OfflinePage,
    four_namesakes: list[Person],
    screening_officer: Any,
    make_user: Callable[..., Any],
) -> None:
    colleague = Actor(
        user=make_user(Role.COORDINATOR, username="karim", first_name="Karim", last_name="Haidari"),
        device="test",
    )
    pairs = list(MatchCandidate.objects.filter(status=CandidateStatus.OPEN).values_list("pk", flat=True))
    group_take(actor=colleague, candidate_ids=pairs)
    page = offline_page.page
    sign_in(page, "samira")
    page.click('[data-testid="nav-duplicates"]')
    assert "Karim Haidari is reviewing these records" in page.inner_text('[data-testid="groups"]')

    page.locator('[data-testid^="group-"] a').click()
    page.wait_for_selector('[data-testid="held-elsewhere"]')
    assert page.locator('[data-testid="decide-group"]').is_disabled()
    page.click('[data-testid="nav-duplicates"]')
    page.click('[data-testid="review-next"]')
    assert "Nothing waits that nobody else reviews" in page.inner_text("main")

    group_release(actor=colleague, candidate_ids=pairs)
    page.click('[data-testid="review-next"]')
    page.wait_for_selector('[data-testid="held-by-me"]')
    assert page.locator('[data-testid="decide-group"]').is_enabled()
    page.click('[data-testid="leave"]')
    page.wait_for_selector('[data-testid="review-next"]')
    assert not MatchCandidate.objects.filter(reviewer__isnull=False).exists()


@pytest.fixture
def child_pair(actor: Actor, crossing_point: CrossingPoint) -> MatchCandidate:
    """A girl of six registered twice, her name spelt two ways, then checked by the worker."""
    for given in ("Sofiia", "Sofia"):
        data = IndividualData(
            given_names_latin=given,
            surname_latin="Pavlenko",
            sex=Sex.FEMALE,
            nationality="UKR",
            date_of_birth=date(2020, 8, 16),
        )
        person_register(actor=actor, crossing_point_id=crossing_point.pk, data=data)
    dedup_pending_process()
    pair = MatchCandidate.objects.get()
    assert pair.involves_child
    return pair


def test_a_childs_link_waits_for_a_second_adjudicator_who_confirms_it(
    offline_page: OfflinePage,
    child_pair: MatchCandidate,
    screening_officer: Any,
    make_user: Callable[..., Any],
) -> None:
    make_user(Role.COORDINATOR, username="radu", posted=False)
    page = offline_page.page
    sign_in(page, "samira")
    open_the_pair_from_the_queue(page, child_pair)

    page.fill("#reason", "birth certificate and the mother's account agree")
    page.click('[data-testid="decide-same"]')
    page.wait_for_selector('[data-testid="linked-by-me"]')  # her own link: a colleague confirms it
    assert page.locator('[data-testid="confirm"]').count() == 0
    assert MatchCandidate.objects.get().status == CandidateStatus.CONFIRM
    page.click('[data-testid="sign-out"]')
    sign_in(page, "radu")

    page.click('[data-testid="links-to-confirm"] a')  # from the home page
    page.locator(f'[data-testid="pair-{child_pair.pk}"] a').click()
    assert "birth certificate and the mother's account agree" in page.inner_text('[data-testid="to-confirm"]')
    page.click('[data-testid="confirm"]')

    decision = child_pair.adjudications.get()
    page.wait_for_selector(f'[data-testid="confirmed-{decision.pk}"]')
    assert MatchCandidate.objects.get().status == CandidateStatus.SAME
    decision.refresh_from_db()
    assert decision.confirmed_by is not None
    assert decision.confirmed_by.username == "radu"
    assert audit_chain_verify().is_intact
