"""The demo's HBM assessments: the UN agency's planner has completed a country-wide assessment of
Moldova and started one of the land crossing (a draft). Fixed answers: the demo is the same on
every load."""

from __future__ import annotations

from hbm.accounts.enums import Role
from hbm.accounts.models import User
from hbm.assessments.services import AssessmentData, assessment_create
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.demo.users import DEMO_USERS

# A country with laws and a referral system on paper, little training and no sea border.
COUNTRY_ANSWERS: dict[str, int | None] = {
    "emergency_legal_basis": 2,
    "protection_sensitive_entry": 2,
    "sop_emergency_mode": 1,
    "sop_specific_needs": 2,
    "hbm_training": 1,
    "simulation_exercises": 0,
    "emergency_stocks": 1,
    "communications_power": 2,
    "mobile_registration": 1,
    "biometrics_without_documents": 2,
    "data_protection_sharing": 2,
    "referral_pathways": 2,
    "referral_follow_up": 1,
    "surge_roster": 1,
    "deployment_logistics": 1,
    "coordination_mechanism": 3,
    "cross_border": 2,
    "public_health_screening": 2,
    "health_capacity": 1,
    "reception_capacity": 2,
    "safe_spaces": 1,
    "land_coverage": 2,
    "air_coverage": 3,
}
CROSSING_ANSWERS: dict[str, int | None] = {
    "sop_emergency_mode": 2,
    "mobile_registration": 2,
    "reception_capacity": 1,
    "safe_spaces": 2,
    "land_coverage": 2,
}


def demo_assessments_create(*, users: dict[str, User], point: CrossingPoint) -> int:
    """Record the demo's two assessments as its planner would; returns how many."""
    planner = next(users[u.username] for u in DEMO_USERS if u.role == Role.PLANNER)
    actor = Actor(user=planner, device="demo")
    assessment_create(
        actor=actor,
        data=AssessmentData(
            title="Moldova: readiness for a mass arrival, 2026",
            country="MDA",
            answers=COUNTRY_ANSWERS,
            not_applicable=("sea_coverage",),
        ),
        complete=True,
    )
    assessment_create(
        actor=actor,
        data=AssessmentData(
            title=f"{point.name}: first look",
            country="MDA",
            crossing_point_id=point.pk,
            answers=CROSSING_ANSWERS,
            not_applicable=("sea_coverage", "air_coverage"),
        ),
    )
    return 2
