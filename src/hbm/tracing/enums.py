"""States of a tracing request and of a possible match, who consented, and the transition map."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SoughtRelationship(models.TextChoices):
    """What the sought person is to the enquirer."""

    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SPOUSE = "spouse", _("spouse or partner")
    SIBLING = "sibling", _("brother or sister")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")
    OTHER_RELATIVE = "other_relative", _("other relative")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("searching")
    CLOSED = "closed", _("closed")


class RequestOutcome(models.TextChoices):
    """Why a tracing request was closed."""

    REUNITED = "reunited", _("reunited")
    CONTACT_RESTORED = "contact_restored", _("contact restored")
    WITHDRAWN = "withdrawn", _("withdrawn by the enquirer")
    NOT_FOUND = "not_found", _("closed without finding the person")


class MatchStatus(models.TextChoices):
    """A possible match between a request and a registered person.

    *proposed*: the engines found the person alike; a screening officer who may see the person
    checks it and asks them. *dismissed*: not the sought person (never proposed again).
    *refused*: the person did not agree to be found (the caseworker never learns of it).
    *disclosed*: the person agreed; the tracing caseworker sees who and where. *void*: the request
    closed before anyone asked.
    """

    PROPOSED = "proposed", _("to check with the person")
    DISMISSED = "dismissed", _("not the sought person")
    REFUSED = "refused", _("the person did not agree")
    DISCLOSED = "disclosed", _("disclosed to the caseworker")
    VOID = "void", _("request closed")


MATCH_TRANSITIONS: dict[MatchStatus, frozenset[MatchStatus]] = {
    MatchStatus.PROPOSED: frozenset(
        {MatchStatus.DISMISSED, MatchStatus.REFUSED, MatchStatus.DISCLOSED, MatchStatus.VOID}
    ),
    MatchStatus.DISMISSED: frozenset({MatchStatus.PROPOSED}),
    MatchStatus.REFUSED: frozenset(),
    MatchStatus.DISCLOSED: frozenset(),
    MatchStatus.VOID: frozenset(),
}


class ConsentSide(models.TextChoices):
    ENQUIRER = "enquirer", _("the enquirer")
    SOUGHT = "sought", _("the sought person")


class ConsentGivenBy(models.TextChoices):
    """Who decided. For a child who cannot decide, a parent or guardian does, or a best-interests
    decision is recorded with its reason and the supervisor who approved it."""

    PERSON = "person", _("the person themself")
    GUARDIAN = "guardian", _("parent or legal guardian")
    BEST_INTERESTS = "best_interests", _("best-interests decision for a child")
