"""The demo's follow-ups: some persons flagged and referred at the land crossing, and where their
paths after the border have reached by day 3, each stage at a different place.

Through the real services only (directory, consent and referral, the service's answer, follow-ups
and their dated steps), by the users whose work it is. Deterministic: persons are taken in the
order they were registered, stages and days follow from their rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hbm.accounts.enums import Role
from hbm.accounts.models import Organisation, User
from hbm.core.context import Actor
from hbm.crossings.models import CrossingPoint
from hbm.followup.enums import FollowUpKind, FollowUpStage
from hbm.followup.services import FollowUpData, StepData, followup_open, followup_step
from hbm.protection.enums import ReferralStatus, ServiceType, SharedField, Urgency
from hbm.protection.models import Referral, Service
from hbm.protection.referrals import ConsentData, ReferralData, referral_answer, referral_make
from hbm.protection.services import ServiceData, service_create
from hbm.registration.models import Person

S = FollowUpStage


@dataclass(frozen=True, slots=True)
class _Path:
    """A follow-up: its kind and its stages, each reached on day ``i`` of the three (0, 1, 2)."""

    flag: str
    kind: FollowUpKind | None
    stages: tuple[tuple[FollowUpStage, int], ...] = ()


# Adults referred to the asylum desk by the screening officer, who follows their paths herself.
ADULT_PATHS: tuple[_Path, ...] = (
    _Path("LP-AN", FollowUpKind.ASYLUM, ((S.INTENTION_EXPRESSED, 0),)),
    _Path("SP-PT", FollowUpKind.ASYLUM, ((S.INTENTION_EXPRESSED, 0), (S.APPLICATION_LODGED, 1))),
    _Path("DS-PM", FollowUpKind.ASYLUM, ((S.APPLICATION_LODGED, 0), (S.INTERVIEWED, 2))),
    _Path("SM-MI", FollowUpKind.AVRR, ((S.INTEREST_EXPRESSED, 0), (S.COUNSELLED, 1))),
    _Path("ER-MC", FollowUpKind.RELOCATION, ((S.PROPOSED, 0), (S.ACCEPTED, 1), (S.TRANSFERRED, 2))),
    _Path("WR-LC", FollowUpKind.ASYLUM, ((S.INTENTION_EXPRESSED, 0), (S.WITHDRAWN, 1))),
    _Path("LP-AN", None),  # referred, nobody has answered yet
)
# Children alone referred to child protection: accepted, and their families looked for.
CHILD_PATHS: tuple[_Path, ...] = (
    _Path("SC-UC", FollowUpKind.FAMILY_REUNIFICATION, ((S.REQUESTED, 0), (S.VERIFYING, 1))),
    _Path("SC-UC", FollowUpKind.FAMILY_REUNIFICATION, ((S.REQUESTED, 1),)),
    _Path("SC-UC", None),  # accepted, no follow-up yet
)


def _service(
    actor: Actor, organisation: Organisation, point: CrossingPoint, name: str, kind: ServiceType
) -> Service:
    existing = Service.objects.filter(organisation=organisation, name=name).first()
    if existing is not None:
        return existing
    data = ServiceData(
        organisation_id=organisation.pk, name=name, service_type=kind, crossing_point_ids=(point.pk,)
    )
    return service_create(actor=actor, data=data)


def _refer(actor: Actor, person: Person, service: Service, flag: str) -> Referral:
    return referral_make(
        actor=actor,
        person_id=person.pk,
        data=ReferralData(
            service_id=service.pk,
            urgency=Urgency.HIGH,
            reason="Met at the land crossing; needs the service's follow-up.",
            flag=flag,
            shared_fields=(SharedField.NAMES, SharedField.SEX, SharedField.DATE_OF_BIRTH),
        ),
        consent=ConsentData(recipient_id=service.organisation_id, is_given=True),
    )


def _follow(
    actor: Actor, person: Person, path: _Path, days: tuple[date, ...], referral: Referral | None
) -> None:
    if path.kind is None:
        return
    (first, first_day), *rest = path.stages
    follow_up = followup_open(
        actor=actor,
        person_id=person.pk,
        data=FollowUpData(
            kind=path.kind,
            stage=first,
            happened_on=days[first_day],
            referral_id=referral.pk if referral else None,
        ),
    )
    for stage, day in rest:
        followup_step(actor=actor, followup_id=follow_up.pk, data=StepData(to=stage, happened_on=days[day]))


def _in_order(persons: list[Person]) -> list[Person]:
    return sorted(persons, key=lambda p: (p.created_at, p.search_name))


def demo_followups_create(*, users: dict[str, User], point: CrossingPoint, days: tuple[date, ...]) -> int:
    """Refer and follow up some of the persons registered at ``point``; returns the follow-ups made."""
    screener = Actor(
        user=next(u for u in users.values() if u.role == Role.SCREENING_OFFICER), device="browser"
    )
    caseworker = Actor(user=next(u for u in users.values() if u.role == Role.CASEWORKER), device="browser")
    coordinator = Actor(user=next(u for u in users.values() if u.role == Role.COORDINATOR), device="browser")
    assert screener.user.organisation is not None
    assert caseworker.user.organisation is not None
    asylum_desk = _service(
        coordinator, screener.user.organisation, point, "Asylum registration desk", ServiceType.ASYLUM
    )
    child_desk = _service(
        coordinator,
        caseworker.user.organisation,
        point,
        "Child protection desk",
        ServiceType.CHILD_PROTECTION,
    )
    registered = _in_order(list(Person.objects.filter(registered_at=point)))
    today = days[-1]
    children = [p for p in registered if (today - p.date_of_birth).days < 17 * 365][: len(CHILD_PATHS)]
    adults = [p for p in registered if (today - p.date_of_birth).days > 25 * 365][: len(ADULT_PATHS)]
    for person, path in zip(children, CHILD_PATHS, strict=False):
        referral = _refer(screener, person, child_desk, path.flag)
        referral_answer(actor=caseworker, referral_id=referral.pk, to=ReferralStatus.ACCEPTED)
        _follow(caseworker, person, path, days, referral)
    for person, path in zip(adults, ADULT_PATHS, strict=False):
        _refer(screener, person, asylum_desk, path.flag)
        _follow(screener, person, path, days, None)
    return sum(1 for _, p in zip(children, CHILD_PATHS, strict=False) if p.kind) + sum(
        1 for _, p in zip(adults, ADULT_PATHS, strict=False) if p.kind
    )
