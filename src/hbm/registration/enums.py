"""The vocabularies of registration, one word per concept across model, API, UI and docs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """UNHCR emergency registration sequence: count, pre-register groups, register individuals."""

    COUNT = "count", _("Count")
    GROUP = "group", _("Group pre-registration")
    INDIVIDUAL = "individual", _("Individual registration")


class Direction(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class Transport(models.TextChoices):
    LAND = "land", _("Land")
    SEA_DISEMBARKATION = "sea_disembarkation", _("Sea disembarkation")
    AIR = "air", _("Air")


class Sex(models.TextChoices):
    """As on travel documents (ICAO Doc 9303): F, M, X (unspecified)."""

    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified")


class AgeBand(models.TextChoices):
    """The age bands of UNHCR population statistics."""

    AGE_0_4 = "0-4", _("0–4")
    AGE_5_11 = "5-11", _("5–11")
    AGE_12_17 = "12-17", _("12–17")
    AGE_18_59 = "18-59", _("18–59")
    AGE_60_PLUS = "60+", _("60+")


class BirthDateAccuracy(models.TextChoices):
    EXACT = "exact", _("Exact")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated from age")


class Relationship(models.TextChoices):
    """Relationship to the head of the group."""

    HEAD = "head", _("Head of group")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    UNRELATED = "unrelated", _("Not related (travel companion)")


class SpecificNeed(models.TextChoices):
    """Quick flags at registration, after UNHCR's specific-needs categories. Screening comes later."""

    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    SEPARATED_CHILD = "separated_child", _("Separated child")
    SERIOUS_MEDICAL_CONDITION = "serious_medical_condition", _("Serious medical condition")
    DISABILITY = "disability", _("Disability")
    PREGNANT_OR_LACTATING = "pregnant_or_lactating", _("Pregnant or breastfeeding")
    OLDER_PERSON_AT_RISK = "older_person_at_risk", _("Older person at risk")
    SINGLE_CAREGIVER = "single_caregiver", _("Single parent or caregiver")
    WOMAN_AT_RISK = "woman_at_risk", _("Woman at risk")
    SURVIVOR_OF_VIOLENCE = "survivor_of_violence", _("Survivor of violence or torture")
    POSSIBLE_TRAFFICKING = "possible_trafficking", _("Possible victim of trafficking")
    FAMILY_TRACING = "family_tracing", _("Family member missing (tracing)")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    IDENTITY_CARD = "identity_card", _("Identity card")
    TRAVEL_DOCUMENT = "travel_document", _("Other travel document")
    OTHER = "other", _("Other document")


class DocumentCondition(models.TextChoices):
    """Never a reason to refuse registration: people fleeing carry expired or damaged papers."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    DAMAGED = "damaged", _("Damaged or unreadable")


class NoDocumentReason(models.TextChoices):
    NEVER_HAD = "never_had", _("Never had one")
    LOST = "lost", _("Lost")
    LEFT_BEHIND = "left_behind", _("Left behind")
    CONFISCATED = "confiscated", _("Confiscated or held by someone else")
    DESTROYED = "destroyed", _("Destroyed")
    OTHER = "other", _("Other")
