"""Writes about crossing points."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pycountry
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.audit.enums import AuditEvent
from hbm.audit.services import audit_record
from hbm.core.context import Actor
from hbm.core.errors import Conflict, PermissionDenied, ValidationFailed
from hbm.core.time import now
from hbm.crossings.enums import MODE_TRANSITIONS, CrossingKind, CrossingMode
from hbm.crossings.models import CrossingPoint, ModeDecision

MODE_DECIDER_ROLES = (Role.COORDINATOR,)
MIN_REASON_LENGTH = 10


def country_code_check(field: str, code: str) -> str:
    """An ISO 3166-1 alpha-3 code, upper-cased, or a field error."""
    code = code.strip().upper()
    if pycountry.countries.get(alpha_3=code) is None:
        raise ValidationFailed.on(
            field, _("'%(code)s' is not an ISO 3166-1 alpha-3 country code") % {"code": code}
        )
    return code


@transaction.atomic
def crossing_point_create(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    kind: CrossingKind,
    latitude: Decimal,
    longitude: Decimal,
    neighbouring_country: str,
    normal_daily_capacity: int,
    operator: Organisation,
    timezone: str = "UTC",
) -> CrossingPoint:
    if actor is not None and not actor.user.has_role(Role.ADMIN):
        raise PermissionDenied(_("only an administrator configures crossing points"))
    if CrossingPoint.objects.filter(code=code).exists():
        raise ValidationFailed.on("code", _("this code is taken"))
    point = CrossingPoint.objects.create(
        code=code,
        name=name,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        neighbouring_country=country_code_check("neighbouring_country", neighbouring_country),
        normal_daily_capacity=normal_daily_capacity,
        operator=operator,
        timezone=timezone,
    )
    audit_record(actor=actor, event=AuditEvent.CROSSING_POINT_CREATED, subject=point)
    return point


@transaction.atomic
def crossing_point_assign(*, crossing_point: CrossingPoint, users: list[User]) -> None:
    """Post users to a crossing point (configuration, done by an admin or the demo loader)."""
    crossing_point.staff.add(*users)


def _mode_name(mode: CrossingMode) -> str:
    """A mode as it reads inside a sentence, in the active language (``emergency``, ``urgence``)."""
    return str(mode.label).lower()


@transaction.atomic
def crossing_mode_switch(
    *, actor: Actor, crossing_point_id: UUID | str, to_mode: CrossingMode, reason: str
) -> ModeDecision:
    """Switch a crossing point's mode, recording the decision. Only a coordinator decides.

    Raises :class:`Conflict` for a transition not in ``MODE_TRANSITIONS`` and leaves no trace.
    """
    if not actor.user.has_role(*MODE_DECIDER_ROLES):
        raise PermissionDenied(_("only a coordinator may switch a crossing point's mode"))
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationFailed.on(
            "reason",
            ngettext(
                "give the reason for the decision (at least %(count)s character)",
                "give the reason for the decision (at least %(count)s characters)",
                MIN_REASON_LENGTH,
            )
            % {"count": MIN_REASON_LENGTH},
        )
    point = CrossingPoint.objects.select_for_update().get(pk=crossing_point_id)
    current = CrossingMode(point.mode)
    if to_mode not in MODE_TRANSITIONS[current]:
        separator = pgettext("list separator", ", ")
        allowed = separator.join(map(_mode_name, sorted(MODE_TRANSITIONS[current]))) or _("none")
        names = {"mode": _mode_name(current), "to_mode": _mode_name(to_mode), "allowed": allowed}
        raise Conflict(
            _("a crossing point in %(mode)s mode cannot switch to %(to_mode)s (allowed: %(allowed)s)")
            % names,
            fields={"to_mode": [_("not allowed from %(mode)s") % names]},
        )
    moment = now()
    decision = ModeDecision.objects.create(
        crossing_point=point,
        from_mode=current,
        to_mode=to_mode,
        decided_by=actor.user,
        decided_at=moment,
        reason=reason,
    )
    point.mode, point.mode_changed_at = to_mode, moment
    point.save(update_fields=["mode", "mode_changed_at", "updated_at"])
    audit_record(
        actor=actor,
        event=AuditEvent.CROSSING_MODE_CHANGED,
        subject=point,
        detail={"from": current.value, "to": to_mode.value, "decision": str(decision.pk)},
    )
    return decision
