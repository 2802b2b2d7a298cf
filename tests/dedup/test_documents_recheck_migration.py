"""Upgrading to match model version 5: persons who showed a document are checked again, and the
check gives them a blocking key per document; nobody else is touched."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps

from hbm.dedup.models import BlockingKey
from hbm.dedup.services import dedup_pending_process
from hbm.registration.enums import DocumentKind
from hbm.registration.models import Person
from hbm.registration.services import DocumentData

pytestmark = pytest.mark.django_db

MIGRATION = "hbm.dedup.migrations.0005_recheck_persons_with_documents"


def test_persons_with_a_document_number_are_checked_again_and_gain_its_key(
    register: Callable[..., Person],
) -> None:
    holder = register(
        "Amina",
        "Haddad",
        documents=(
            DocumentData(kind=DocumentKind.PASSPORT, document_number="N0123456", issuing_state="SYR"),
        ),
    )
    plain = register("Sami", "Khoury")
    dedup_pending_process()
    # As a version 4 check left them: no document key stored.
    BlockingKey.objects.filter(key__startswith="I:").delete()

    importlib.import_module(MIGRATION)._recheck(apps, None)

    pending = set(Person.objects.filter(dedup_checked_at__isnull=True).values_list("pk", flat=True))
    assert pending == {holder.pk}
    assert plain.pk not in pending
    dedup_pending_process()
    assert BlockingKey.objects.filter(person=holder, key__startswith="I:").count() == 1
    assert not BlockingKey.objects.filter(key__startswith="I:").exclude(person=holder).exists()
