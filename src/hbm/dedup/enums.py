"""What a duplicate check can conclude, and what a person adjudicating can decide."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    """The engines' conclusion on a pair, before any person looks at it."""

    SAME = "same", _("same person")
    ADJUDICATE = "adjudicate", _("needs adjudication")
    DISTINCT = "distinct", _("distinct")


class CandidateStatus(models.TextChoices):
    """Where a pair stands. ``CONFIRM``: decided *same person* where a child is involved, the link
    not in force until a second adjudicator confirms it (decision 0031)."""

    OPEN = "open", _("waiting for adjudication")
    CONFIRM = "confirm", _("same person: waiting for a second adjudicator")
    SAME = "same", _("decided: same person")
    DISTINCT = "distinct", _("decided: distinct people")


class Ruling(models.TextChoices):
    """What the adjudicator decided."""

    SAME = "same", _("Same person")
    DISTINCT = "distinct", _("Distinct people")


class Modality(models.TextChoices):
    FACE = "face", _("face")
