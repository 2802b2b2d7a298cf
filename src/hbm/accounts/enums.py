"""Roles (DESIGN.md §2) and kinds of organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BORDER_OFFICER = "border_officer", _("Border officer")
    SCREENING_OFFICER = "screening_officer", _("Screening / protection officer")
    HEALTH_OFFICER = "health_officer", _("Health officer")
    CASEWORKER = "caseworker", _("Service caseworker")
    RECEPTION_MANAGER = "reception_manager", _("Reception manager")
    COORDINATOR = "coordinator", _("Coordinator")
    PLANNER = "planner", _("Planner / assessor / trainer")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


class OrganisationKind(models.TextChoices):
    BORDER_AGENCY = "border_agency", _("Border agency")
    ASYLUM_SERVICE = "asylum_service", _("Asylum service")
    HEALTH_AUTHORITY = "health_authority", _("Health authority")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    CRISIS_MANAGEMENT = "crisis_management", _("Crisis management centre")
    UN_AGENCY = "un_agency", _("UN agency")
    NGO = "ngo", _("Non-governmental organisation")
    OTHER = "other", _("Other")


# Roles that register people and so read registration data at their crossing points.
REGISTERING_ROLES = frozenset({Role.BORDER_OFFICER, Role.SCREENING_OFFICER})
# Roles that see registration data of the crossing points they are assigned to.
CROSSING_POINT_READER_ROLES = frozenset({Role.BORDER_OFFICER, Role.SCREENING_OFFICER})
