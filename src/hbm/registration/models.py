"""Encounters at a crossing point and the people, groups, counts and documents they record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Replace
from django.utils.translation import gettext_lazy as _

from hbm.core.crypto import EncryptedBinaryField, EncryptedJSONField
from hbm.core.models import BaseModel
from hbm.crossings.enums import CrossingMode
from hbm.crossings.models import CrossingPoint
from hbm.registration.enums import (
    AgeBand,
    BirthDateAccuracy,
    Direction,
    DocumentCondition,
    DocumentKind,
    NoDocumentReason,
    Relationship,
    Sex,
    Tier,
    Transport,
)
from hbm.registration.values import SEARCH_JOINERS


def _compact(column: str) -> models.Func:
    """``column`` without :data:`SEARCH_JOINERS`, as :func:`~hbm.registration.values.search_compact`
    leaves a name (REPLACE is the same function on SQLite and PostgreSQL)."""
    expression: models.Func | models.F = models.F(column)
    for joiner in SEARCH_JOINERS:
        expression = Replace(
            expression, models.Value(joiner), models.Value(""), output_field=models.TextField()
        )
    assert isinstance(expression, models.Func)
    return expression


def _words(first: str, second: str) -> Concat:
    """Two folded names, each without joiners, one space between: what person search matches words
    in (``hbm.registration.search_index``)."""
    return Concat(_compact(first), models.Value(" "), _compact(second), output_field=models.TextField())


class Group(BaseModel):
    """A family or travel group, pre-registered with one light record and a wristband token."""

    token = models.CharField(_("token"), max_length=9, unique=True)
    size = models.PositiveSmallIntegerField(_("size"))
    head_name = models.CharField(_("head of group"), max_length=200)
    nationality = models.CharField(_("nationality"), max_length=3)
    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="groups")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.token


class Person(BaseModel):
    """One individual. Names are kept as written in their own script and in Latin letters."""

    given_names_original = models.CharField(_("given names (original script)"), max_length=200, blank=True)
    surname_original = models.CharField(_("surname (original script)"), max_length=200, blank=True)
    given_names_latin = models.CharField(_("given names (Latin letters)"), max_length=200, blank=True)
    surname_latin = models.CharField(_("surname (Latin letters)"), max_length=200, blank=True)
    # Upper-cased, accent-folded Latin names for search (not an identity decision: see dedup).
    search_name = models.CharField(max_length=410, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    birth_date_accuracy = models.CharField(max_length=10, choices=BirthDateAccuracy.choices)
    nationality = models.CharField(_("claimed nationality"), max_length=3)
    place_of_birth = models.CharField(_("place of birth"), max_length=200, blank=True)
    # As the person gives them, first name first, in any script: on Afghan, Iraqi and Syrian papers
    # they are part of identity, and they tell apart namesakes born the same year (see hbm.dedup).
    father_name = models.CharField(_("father's name"), max_length=200, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    # The parents' names folded as search_name is (hbm.registration.values.search_fold), in any
    # script, kept by the services that write the names: the database cannot fold them itself the
    # same way on SQLite and PostgreSQL. Text, not a bounded column: the fold may lengthen a name.
    father_search_name = models.TextField(blank=True, default="", editable=False)
    mother_search_name = models.TextField(blank=True, default="", editable=False)
    # The names in the original script, surname first, folded the same way (in either case, typed on
    # a Persian or an Arabic keyboard): SQLite's LIKE folds the case of ASCII letters only.
    search_original = models.TextField(blank=True, default="", editable=False)
    # The folded names without spaces, hyphens or apostrophes, computed by the database from the
    # columns above: the Latin and the original names ('KOVALENKOOLENA КОВАЛЕНКООЛЕНА'), the father's
    # and the mother's. Person search matches each word typed inside them, through a trigram index
    # (hbm.registration.search_index: FTS5 on SQLite, pg_trgm on PostgreSQL).
    search_words = models.GeneratedField(
        expression=_words("search_name", "search_original"), output_field=models.TextField(), db_persist=True
    )
    parents_search_words = models.GeneratedField(
        expression=_words("father_search_name", "mother_search_name"),
        output_field=models.TextField(),
        db_persist=True,
    )
    # The sound keys of the Latin and the original names (hbm.registration.values.search_sounds_of:
    # ' MUHMD ~MHMD ... '), kept by the services that write the names, for a "sounds like" search
    # (Muhammad finds Mohamed); remade for everyone when the names engine's keys change
    # (hbm.registration.search_index).
    search_sounds = models.TextField(blank=True, default="", editable=False)
    # The same of the father's and the mother's names, for a parent's name searched "sounds like";
    # a database default too, so that a raw load need not name it (the next migrate makes it).
    parents_search_sounds = models.TextField(blank=True, default="", db_default="", editable=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    specific_needs = EncryptedJSONField(_("specific needs"), null=True, blank=True)
    no_document_reason = models.CharField(max_length=16, choices=NoDocumentReason.choices, blank=True)
    photo = EncryptedBinaryField(null=True, blank=True, editable=False)
    registered_at = models.ForeignKey(
        CrossingPoint, on_delete=models.PROTECT, related_name="registered_persons"
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # 1 at registration, one more at each applied change: an offline edit names the version it was
    # based on, so the server can tell a change it has not seen from one it has (see hbm.field).
    version = models.PositiveIntegerField(default=1, editable=False)
    # NULL until the duplicate check has seen this version of the person (hbm.dedup's worker picks
    # up every NULL, so a registration, a synced one or a new photo is checked without waiting).
    dedup_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set while a duplicate checker holds the person (several may run): others pass it by until the
    # claim ends, or expires because that checker stopped mid-batch.
    dedup_claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by a sweep (hbm dedup sweep, which re-checks everyone): the person waits behind everyone
    # waiting for a first check or for the check of a change, so that a sweep of a million persons
    # never delays the check of a new arrival. Cleared by the check, or by a change of the person.
    # A database default too, so that a raw load (benchmarks, imports) need not name it.
    dedup_swept = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=("dedup_swept", "created_at"),
                condition=models.Q(dedup_checked_at__isnull=True),
                name="person_dedup_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.surname_latin}, {self.given_names_latin}"

    def duplicate_check_due(self) -> list[str]:
        """Have the person checked for duplicates again, ahead of any sweep (new details, a photo, a
        document: what the person's check compares changed); the fields this sets, to be saved."""
        self.dedup_checked_at = None
        self.dedup_swept = False
        return ["dedup_checked_at", "dedup_swept"]

    @property
    def has_photo(self) -> bool:
        return self.photo is not None


class GroupMembership(BaseModel):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(_("relationship to head"), max_length=16, choices=Relationship.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("group", "person"), name="membership_once_per_group")]


class Encounter(BaseModel):
    """One event at a crossing point: a count, a group pre-registration or an individual registration."""

    crossing_point = models.ForeignKey(CrossingPoint, on_delete=models.PROTECT, related_name="encounters")
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    transport = models.CharField(_("transport"), max_length=24, choices=Transport.choices)
    mode = models.CharField(max_length=12, choices=CrossingMode.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device = models.CharField(max_length=200)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="encounters"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="encounters"
    )

    class Meta:
        indexes = [models.Index(fields=("crossing_point", "occurred_at"), name="encounter_point_time")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(tier=Tier.COUNT, group__isnull=True, person__isnull=True)
                    | models.Q(tier=Tier.GROUP, group__isnull=False, person__isnull=True)
                    | models.Q(tier=Tier.INDIVIDUAL, person__isnull=False)
                ),
                name="encounter_tier_matches_subject",
            )
        ]


class CountCell(models.Model):
    """How many crossed in one sex × age band of a count encounter. No personal data."""

    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="count_cells")
    sex = models.CharField(max_length=1, choices=Sex.choices)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("encounter", "sex", "age_band"), name="count_cell_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_band}: {self.count}"


class Document(BaseModel):
    """An identity or travel document a person showed, as read (MRZ) or typed."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    document_number = models.CharField(_("document number"), max_length=40, blank=True, db_index=True)
    issuing_state = models.CharField(_("issuing state"), max_length=3, blank=True)
    date_of_expiry = models.DateField(_("date of expiry"), null=True, blank=True)
    mrz = models.TextField(_("machine-readable zone"), blank=True)
    mrz_format = models.CharField(max_length=4, blank=True)
    failed_checks = models.JSONField(default=list, blank=True)
    condition = models.CharField(_("condition"), max_length=8, choices=DocumentCondition.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
