"""The organisations and people of the demo emergency: one user per role of DESIGN.md §2.

The passwords are public on purpose: the login page shows them, in demo mode only, so that anyone
can try every role. They pass Django's validators (10+ characters, not common, not numeric, not
like the username) because :func:`hbm.accounts.services.user_create` checks them like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from hbm.accounts.enums import OrganisationKind, Role


@dataclass(frozen=True, slots=True)
class DemoOrganisation:
    name: str
    kind: OrganisationKind
    country: str


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A demo account. ``organisation`` is a :data:`DEMO_ORGANISATIONS` name; ``posted_at`` the
    crossing point codes the user works at (registering roles only)."""

    username: str
    password: str
    role: Role
    display_name: str
    organisation: str
    posted_at: tuple[str, ...] = ()

    @property
    def first_name(self) -> str:
        return self.display_name.split(" ", 1)[0]

    @property
    def last_name(self) -> str:
        return self.display_name.split(" ", 1)[1] if " " in self.display_name else ""


BORDER_POLICE = "State Border Police"
ASYLUM_SERVICE = "National Asylum Service"
HEALTH_MINISTRY = "Ministry of Health"
CHILD_PROTECTION_NGO = "Safe Childhood Association"
LOCAL_GOVERNMENT = "Stefan Voda District Council"
CRISIS_CENTRE = "National Crisis Management Centre"
UN_AGENCY = "UN Agency for Refugees and Migrants"

DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(BORDER_POLICE, OrganisationKind.BORDER_AGENCY, "MDA"),
    DemoOrganisation(ASYLUM_SERVICE, OrganisationKind.ASYLUM_SERVICE, "MDA"),
    DemoOrganisation(HEALTH_MINISTRY, OrganisationKind.HEALTH_AUTHORITY, "MDA"),
    DemoOrganisation(CHILD_PROTECTION_NGO, OrganisationKind.CHILD_PROTECTION, "MDA"),
    DemoOrganisation(LOCAL_GOVERNMENT, OrganisationKind.LOCAL_GOVERNMENT, "MDA"),
    DemoOrganisation(CRISIS_CENTRE, OrganisationKind.CRISIS_MANAGEMENT, "MDA"),
    DemoOrganisation(UN_AGENCY, OrganisationKind.UN_AGENCY, "MDA"),
)

LAND_CROSSING_CODE = "PAL"
AIRPORT_CODE = "KIV"
SEA_PORT_CODE = "GIU"

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "officer.ana",
        "sunflower-bridge-17",
        Role.BORDER_OFFICER,
        "Ana Rusu",
        BORDER_POLICE,
        (LAND_CROSSING_CODE,),
    ),
    DemoUser(
        "officer.ion",
        "river-lantern-42",
        Role.BORDER_OFFICER,
        "Ion Ceban",
        BORDER_POLICE,
        (LAND_CROSSING_CODE, AIRPORT_CODE),
    ),
    DemoUser(
        "screener.maria",
        "quiet-harbour-58",
        Role.SCREENING_OFFICER,
        "Maria Popescu",
        ASYLUM_SERVICE,
        (LAND_CROSSING_CODE,),
    ),
    DemoUser(
        "health.elena",
        "clean-water-well-31",
        Role.HEALTH_OFFICER,
        "Elena Munteanu",
        HEALTH_MINISTRY,
        (LAND_CROSSING_CODE,),
    ),
    DemoUser("caseworker.dan", "warm-blanket-road-9", Role.CASEWORKER, "Dan Moraru", CHILD_PROTECTION_NGO),
    DemoUser(
        "reception.vera", "open-door-shelter-26", Role.RECEPTION_MANAGER, "Vera Cojocaru", LOCAL_GOVERNMENT
    ),
    DemoUser("coordinator.radu", "north-star-compass-5", Role.COORDINATOR, "Radu Ciobanu", CRISIS_CENTRE),
    DemoUser("planner.sofia", "paper-map-horizon-8", Role.PLANNER, "Sofia Botnari", UN_AGENCY),
    DemoUser("auditor.petru", "ledger-and-seal-64", Role.AUDITOR, "Petru Rotaru", CRISIS_CENTRE),
    DemoUser("admin.mihai", "keys-to-the-gate-73", Role.ADMIN, "Mihai Stratan", CRISIS_CENTRE),
)


def demo_user(role: Role, index: int = 0) -> DemoUser:
    """The ``index``-th demo user of ``role`` (there are two border officers)."""
    return [u for u in DEMO_USERS if u.role == role][index]
