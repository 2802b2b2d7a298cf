"""Who may see and record follow-ups (need to know), in one place for reads and writes alike.

- A coordinator: every follow-up.
- A screening officer: the follow-ups of persons they may see (met where they are posted).
- A caseworker: the follow-ups their organisation holds, of persons referred to their organisation
  (a referral sent to it: the person consented to that organisation).
- Nobody else: border officers, health officers, reception managers, planners, auditors, admins.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from hbm.accounts.enums import Role
from hbm.core.context import Actor
from hbm.followup.models import FollowUp
from hbm.protection.enums import ReferralStatus
from hbm.protection.models import Referral
from hbm.protection.referrals import HEALTH_FLAG
from hbm.registration.models import Person
from hbm.registration.selectors import person_visible_filter, persons_visible_to

# Who records and reads follow-ups; which ones each sees is the rule of the functions below.
FOLLOWUP_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER, Role.CASEWORKER)
# Who meets the person at the crossing point and so may open a follow-up without a referral.
BORDER_SIDE_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)
# Who sees where every flagged person stands (the screening officer: at their crossing points).
OVERVIEW_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)
# A referral the service took: a follow-up may start from it.
TAKEN = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.CLOSED)


def _referred_to(organisation_id: uuid.UUID) -> QuerySet[Referral]:
    """Referrals sent to the organisation, but not from a health screening (health officers' only)."""
    return (
        Referral.objects.filter(organisation_id=organisation_id)
        .exclude(status=ReferralStatus.PENDING)
        .exclude(flag=HEALTH_FLAG)
    )


def followup_persons_of(*, actor: Actor) -> QuerySet[Person]:
    """The persons whose follow-ups the actor may see. Not audited: callers audit what they show."""
    user = actor.user
    if user.has_role(Role.COORDINATOR):
        return Person.objects.all()
    if user.has_role(Role.SCREENING_OFFICER):
        return persons_visible_to(actor=actor)
    if user.has_role(Role.CASEWORKER) and user.organisation_id is not None:
        return Person.objects.filter(pk__in=_referred_to(user.organisation_id).values("person_id"))
    return Person.objects.none()


def followups_visible_to(*, actor: Actor) -> QuerySet[FollowUp]:
    """The follow-ups the actor may read and record steps of. Not audited: callers audit."""
    user = actor.user
    if user.has_role(Role.COORDINATOR):
        return FollowUp.objects.all()
    if user.has_role(Role.SCREENING_OFFICER):
        return FollowUp.objects.filter(person_visible_filter(actor=actor))
    if user.has_role(Role.CASEWORKER) and user.organisation_id is not None:
        return FollowUp.objects.filter(
            organisation_id=user.organisation_id,
            person_id__in=_referred_to(user.organisation_id).values("person_id"),
        )
    return FollowUp.objects.none()
