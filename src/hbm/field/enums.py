"""Names used by the field app's sync: kinds of record, what became of each, conflicts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    COUNT = "count", _("Count")
    GROUP = "group", _("Group pre-registration")
    PERSON = "person", _("Individual registration")
    PERSON_EDIT = "person_edit", _("Change to a person")
    PHOTO = "photo", _("Photo")


class RecordStatus(models.TextChoices):
    """What the server did with one record of a batch. Every status but ``rejected`` means the
    server holds the record and the device may drop it from its outbox."""

    STORED = "stored", _("stored")
    ALREADY_STORED = "already_stored", _("already stored")
    MERGED = "merged", _("merged")
    CONFLICT = "conflict", _("kept as a conflict")
    REJECTED = "rejected", _("rejected")


class EditSource(models.TextChoices):
    FIELD = "field", _("field app")
    WEB = "web", _("web")
    RESOLUTION = "resolution", _("conflict resolution")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("resolved")


class ConflictChoice(models.TextChoices):
    """Which value a supervisor kept."""

    SERVER = "server", _("kept the value on the server")
    DEVICE = "device", _("took the value from the device")


class EditableField(models.TextChoices):
    """The fields of a person an officer may change after registration (offline or online)."""

    GIVEN_NAMES_ORIGINAL = "given_names_original", _("given names (original script)")
    SURNAME_ORIGINAL = "surname_original", _("surname (original script)")
    GIVEN_NAMES_LATIN = "given_names_latin", _("given names (Latin letters)")
    SURNAME_LATIN = "surname_latin", _("surname (Latin letters)")
    SEX = "sex", _("sex")
    DATE_OF_BIRTH = "date_of_birth", _("date of birth")
    NATIONALITY = "nationality", _("claimed nationality")
    PLACE_OF_BIRTH = "place_of_birth", _("place of birth")
    FATHER_NAME = "father_name", _("father's name")
    MOTHER_NAME = "mother_name", _("mother's name")
    LANGUAGES = "languages", _("languages")
