"""Kinds and stages of a follow-up, labelled for people (``hbm.engines.followup`` holds the lifecycles)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpKind(models.TextChoices):
    """What the person's path after the border is (``hbm.engines.followup.Kind``)."""

    ASYLUM = "asylum", _("asylum procedure")
    FAMILY_REUNIFICATION = "family_reunification", _("family reunification")
    AVRR = "avrr", _("assisted voluntary return and reintegration")
    RELOCATION = "relocation", _("relocation or transfer")


class FollowUpStage(models.TextChoices):
    """Every stage of every kind (``hbm.engines.followup.Stage``)."""

    INTENTION_EXPRESSED = "intention_expressed", _("intention to apply expressed")
    APPLICATION_LODGED = "application_lodged", _("application lodged")
    INTERVIEWED = "interviewed", _("interviewed")
    REFUGEE_STATUS = "refugee_status", _("granted refugee status")
    SUBSIDIARY_PROTECTION = "subsidiary_protection", _("granted subsidiary protection")
    REJECTED = "rejected", _("rejected (may appeal)")
    APPEALED = "appealed", _("appeal lodged")
    REJECTION_FINAL = "rejection_final", _("rejected, final")
    REQUESTED = "requested", _("requested")
    VERIFYING = "verifying", _("tracing and verification")
    TRAVELLED = "travelled", _("travelled")
    REUNITED = "reunited", _("reunited")
    INTEREST_EXPRESSED = "interest_expressed", _("interest expressed")
    COUNSELLED = "counselled", _("counselled")
    DEPARTED = "departed", _("departed")
    REINTEGRATION_SUPPORT = "reintegration_support", _("reintegration support")
    COMPLETED = "completed", _("completed")
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    TRANSFERRED = "transferred", _("transferred")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn or discontinued")


class Phase(models.TextChoices):
    """Where a flagged person stands, coarsely: the coordinator's overview groups by it."""

    FLAGGED = "flagged", _("flagged, not referred")
    REFERRED = "referred", _("referred, not accepted yet")
    ACCEPTED = "accepted", _("accepted by a service")
    FOLLOW_UP = "followup", _("in follow-up")
    CLOSED = "closed", _("closed with an outcome")
