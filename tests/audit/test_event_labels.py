"""Audit events read by people: each code has a label in the reader's language and an area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from django.utils import translation

import hbm
from hbm.audit.enums import EVENT_AREAS, AuditEvent, event_label, events_by_area
from hbm.web.forms import AuditFilterForm


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    yield
    translation.activate("en")


def test_every_event_belongs_to_one_area_and_has_its_own_label() -> None:
    grouped = [code for _, events in events_by_area() for code, _ in events]

    assert sorted(grouped) == sorted(e.value for e in AuditEvent)
    assert {e.value.split(".")[0] for e in AuditEvent} == set(EVENT_AREAS)
    labels = [str(e.label) for e in AuditEvent]
    assert len(set(labels)) == len(labels)
    assert not any("." in label or "_" in label for label in labels)


def test_an_unknown_code_reads_as_itself() -> None:
    assert event_label("retired.event") == "retired.event"
    assert event_label(AuditEvent.PERSON_VIEWED.value) == "Person record viewed"


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_label_and_area_is_in_the_catalogue(language: str) -> None:
    catalogue = polib.pofile(
        str(Path(hbm.__file__).parent / "locale" / language / "LC_MESSAGES" / "django.po")
    )

    translated = {e.msgid for e in catalogue if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    wanted = {str(e.label) for e in AuditEvent} | {str(area) for area in EVENT_AREAS.values()}
    assert sorted(wanted - translated) == []


def test_the_filter_lists_events_by_area_with_labels() -> None:
    choices = AuditFilterForm().fields["event"].choices

    groups = {str(group): dict(events) for group, events in choices[1:]}
    assert str(groups["Registration"][AuditEvent.PERSON_REGISTERED.value]) == "Person registered"
    assert AuditFilterForm({"event": AuditEvent.DUPLICATE_DECIDED.value}).is_valid()
    assert not AuditFilterForm({"event": "not.an_event"}).is_valid()
