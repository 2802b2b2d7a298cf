"""An HBM assessment: one organisation's answers, for a country or one crossing point, to the
scored questionnaire of :mod:`hbm.engines.assessment` (no personal data).

The answers are kept with the questionnaire's id, version and digest, so that a score can be
explained later and an answer given to another wording is recognised as such. The overall and
per-pillar scores are stored at each save for listing and comparison; the gap report is computed
from the answers when read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Organisation
from hbm.assessments.enums import AssessmentStatus
from hbm.core.models import BaseModel
from hbm.crossings.models import CrossingPoint


class Assessment(BaseModel):
    """A country's (or one crossing point's) readiness, pillar by pillar."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(_("title"), max_length=200)
    country = models.CharField(_("country"), max_length=3, help_text=_("ISO 3166-1 alpha-3"))
    crossing_point = models.ForeignKey(
        CrossingPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    questionnaire_id = models.CharField(max_length=64)
    questionnaire_version = models.PositiveIntegerField()
    questionnaire_digest = models.CharField(max_length=64)
    # {question id: level 0 … top}; a question left out is not answered.
    answers = models.JSONField(default=dict)
    not_applicable = models.JSONField(default=list)
    overall_score = models.FloatField(null=True, blank=True)
    # {pillar id: score 0–100 or null}, in the questionnaire's order.
    pillar_scores = models.JSONField(default=dict)
    # Counts the saves: an update names the revision it read, so that nobody overwrites unseen work.
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-updated_at",)
        indexes = [models.Index(fields=("organisation", "-updated_at"), name="assessment_by_organisation")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT
