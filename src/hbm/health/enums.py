"""What a health screening decides and on what basis it shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HealthAction(models.TextChoices):
    """``hbm.engines.screening.HealthAction``: isolate now, or a medical referral."""

    ISOLATE = "isolate", _("isolate and refer")
    REFER = "refer", _("medical referral")


class LegalBasis(models.TextChoices):
    """Why the referral of a positive screening may share what it shares (decision 0016)."""

    CONSENT = "consent", _("the person's consent to the receiving organisation")
    PUBLIC_HEALTH_LAW = (
        "public_health_law",
        _("public-health law: isolation of a suspected case (IHR 2005, art. 31.2)"),
    )
