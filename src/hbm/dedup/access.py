"""Who may read and decide candidate pairs (need to know), in one place for reads and writes alike.

- A coordinator or a screening officer adjudicates: one who may see *both* persons of a pair (met
  at a crossing point where they are posted; a coordinator sees everyone) reads it and decides it.
- Nobody else: border officers, caseworkers, health officers, reception managers, planners,
  auditors, admins.

A pair out of reach is, to the actor, a pair that does not exist: readers and deciders alike answer
*not found* and record the attempt (``access.refused``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from hbm.accounts.enums import Role
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.dedup.models import MatchCandidate
from hbm.registration.selectors import person_visible_filter

ADJUDICATOR_ROLES = (Role.COORDINATOR, Role.SCREENING_OFFICER)


def candidates_visible_to(*, actor: Actor) -> QuerySet[MatchCandidate]:
    """Pairs whose two persons the actor may both see, for an adjudicating role; none for another.
    Not audited: callers audit what they show or change."""
    if not actor.user.has_role(*ADJUDICATOR_ROLES):
        return MatchCandidate.objects.none()
    return MatchCandidate.objects.filter(
        person_visible_filter(actor=actor, field="person_low"),
        person_visible_filter(actor=actor, field="person_high"),
    )


def refusal_record(*, actor: Actor, kind: str, record_id: object) -> None:
    """The one ``access.refused`` entry of a refused read or decision. Call it outside the
    transaction of the refused work: that one is rolled back, this entry stays."""
    with transaction.atomic():
        audit_record(
            actor=actor, event=AuditEvent.ACCESS_REFUSED, detail={"kind": kind, "id": str(record_id)}
        )
