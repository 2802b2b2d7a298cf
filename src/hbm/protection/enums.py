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


class Urgency(models.TextChoices):
    """How soon someone must take charge (``hbm.engines.screening.Urgency``; deadlines there)."""

    LIFE_THREATENING = "life_threatening", _("life-threatening (1 hour)")
    HIGH = "high", _("high (24 hours)")
    MEDIUM = "medium", _("medium (72 hours)")
    LOW = "low", _("low (7 days)")


class ReferralStatus(models.TextChoices):
    """The lifecycle of ``hbm.engines.screening.REFERRAL_TRANSITIONS``."""

    PENDING = "pending", _("pending: not sent yet")
    SENT = "sent", _("sent to the service")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")


class ReferralOutcome(models.TextChoices):
    SERVICE_PROVIDED = "service_provided", _("service provided")
    PERSON_DECLINED_SERVICE = "person_declined_service", _("the person declined the service")
    PERSON_NOT_REACHED = "person_not_reached", _("the person could not be reached")
    TRANSFERRED = "transferred", _("transferred to another service")
    NO_LONGER_NEEDED = "no_longer_needed", _("no longer needed")


class ConsentPurpose(models.TextChoices):
    """What a person agreed to: consent is given per purpose and per recipient organisation."""

    REFERRAL = "referral", _("referral to a service, sharing what it needs")


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", _("the person themself")
    GUARDIAN = "guardian", _("parent or legal guardian")
    BEST_INTERESTS = "best_interests", _("best-interests decision for a child")


class SharedField(models.TextChoices):
    """What of the person a referral may share with the receiving organisation (the referral's
    reason is always shared: the officer writes what the service needs to know)."""

    NAMES = "names", _("names")
    SEX = "sex", _("sex")
    DATE_OF_BIRTH = "date_of_birth", _("date of birth or age")
    NATIONALITY = "nationality", _("nationality")
    LANGUAGES = "languages", _("languages")
    SPECIFIC_NEEDS = "specific_needs", _("specific needs")
    PHOTO = "photo", _("photo")
