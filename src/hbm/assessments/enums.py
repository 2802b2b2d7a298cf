"""The states of an assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentStatus(models.TextChoices):
    """A draft may be changed; a completed assessment is the record of its day and is not changed
    again (a new assessment is started instead)."""

    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")
