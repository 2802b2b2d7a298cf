"""Kinds of service a person with specific needs is referred to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    """What a service does, after the IASC and UNHCR referral pathway categories.

    Referral pathway rules (``hbm.engines.screening``) name these codes: a flag leads to a type, the
    directory to the services of that type serving the crossing point.
    """

    CHILD_PROTECTION = "child_protection", _("Child protection (best-interests procedure)")
    ANTI_TRAFFICKING = "anti_trafficking", _("Assistance to victims of trafficking")
    GBV = "gbv", _("Gender-based violence case management")
    TORTURE_REHABILITATION = "torture_rehabilitation", _("Rehabilitation of torture survivors")
    MEDICAL = "medical", _("Medical care")
    ISOLATION = "isolation", _("Isolation and public-health follow-up")
    MENTAL_HEALTH = "mental_health", _("Mental health and psychosocial support")
    MATERNAL_HEALTH = "maternal_health", _("Maternal and newborn health")
    DISABILITY = "disability", _("Disability support")
    OLDER_PERSONS = "older_persons", _("Support to older persons")
    ASYLUM = "asylum", _("Asylum procedure and legal aid")
    FAMILY_TRACING = "family_tracing", _("Family tracing and reunification")
    SHELTER = "shelter", _("Shelter and reception")
    RETURN = "return", _("Assisted voluntary return and reintegration")
    OTHER = "other", _("Other service")


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
