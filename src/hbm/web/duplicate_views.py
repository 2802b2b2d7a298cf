"""Duplicates: the adjudication queue, one pair side by side, one review group side by side, and
decisions on them. Thin: find with a selector (which audits the read), call a service, render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.core.context import Actor
from hbm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.core.time import now
from hbm.dedup.enums import CandidateStatus, Ruling
from hbm.dedup.holds import ReviewHeld, group_release, group_take, review_next
from hbm.dedup.labels import contribution_labelled
from hbm.dedup.models import MatchCandidate
from hbm.dedup.selectors import (
    ReviewGroup,
    access_candidate,
    access_review_group,
    adjudication_queue,
    candidate_decisions,
    check_backlog,
    documents_by_person,
    pair_review_group,
    review_group_links,
    review_queue,
)
from hbm.dedup.services import adjudication_undo, candidate_adjudicate, candidate_confirm, group_adjudicate
from hbm.engines.matching import LETTERS, document_number_form
from hbm.registration.countries import country_name
from hbm.registration.enums import BirthDateAccuracy, DocumentKind, Sex
from hbm.registration.models import Document, Person
from hbm.web.pages import officer_page, page

DEDUP_FIELDS = (
    ("surname_latin", _lazy("Surname (Latin letters)")),
    ("given_names_latin", _lazy("Given names (Latin letters)")),
    ("surname_original", _lazy("Surname (original script)")),
    ("given_names_original", _lazy("Given names (original script)")),
    ("father_name", _lazy("Father's name")),
    ("mother_name", _lazy("Mother's name")),
    ("sex", _lazy("Sex")),
    ("date_of_birth", _lazy("Date of birth")),
    ("nationality", _lazy("Nationality")),
    ("place_of_birth", _lazy("Place of birth")),
)


def _side_by_side(persons: Sequence[Person]) -> list[dict[str, Any]]:
    """One row per field: every record's value as shown (``None``: not recorded) and how the
    records compare on it (:func:`_compared`)."""
    rows = []
    for field, label in DEDUP_FIELDS:
        values = [_shown(person, field) for person in persons]
        rows.append({"field": field, "label": label, "values": values, "comparison": _compared(values)})
    rows.append(_documents_row(persons))
    return rows


def _documents_row(persons: Sequence[Person]) -> dict[str, Any]:
    """Each record's identity documents (kind, issuing state, number), ``None`` for a record with
    none, compared as the engine compares them (:func:`_documents_compared`)."""
    documents = documents_by_person(persons=persons)
    held = [documents.get(person.pk, []) for person in persons]
    values = [" · ".join(_document_shown(d) for d in own) if own else None for own in held]
    return {
        "field": "documents",
        "label": _lazy("Identity documents"),
        "values": values,
        "comparison": _documents_compared(held),
    }


def _documents_compared(held: Sequence[Sequence[Document]]) -> str:
    """How the records' documents compare, pair by pair, as the matcher weighs them (its
    ``document`` comparison, decision 0026): ``differ`` when two records hold different
    numbers of one kind of document of one state (two passports of Syria); ``agree`` when every two
    records share a number (``P 1234 5678`` and ``P12345678`` are one), or none holds any;
    ``partial`` otherwise — a record without documents, or documents that cannot be compared (a
    Syrian passport and an Afghan one): no sign of one person or of two."""
    if not any(held):
        return "agree"
    pairs = [_documents_pair(a, b) for i, a in enumerate(held) for b in held[i + 1 :]]
    if "differ" in pairs:
        return "differ"
    return "agree" if all(pair == "agree" for pair in pairs) else "partial"


def _documents_pair(left: Sequence[Document], right: Sequence[Document]) -> str:
    forms = [[(d.kind, d.issuing_state.upper(), _number_form(d)) for d in own] for own in (left, right)]
    if any(n == m and (s == t or not s or not t) for _, s, n in forms[0] for _, t, m in forms[1] if n and m):
        return "agree"
    if any(k == j and s == t and s and n != m for k, s, n in forms[0] for j, t, m in forms[1] if n and m):
        return "differ"
    return "partial"


def _number_form(document: Document) -> str:
    return document_number_form(document.document_number) or document.document_number.strip().upper()


def _document_shown(document: Document) -> str:
    state = document.issuing_state
    # Translators: one identity document on the duplicates screen: "Passport, Syria (SYR), N0123456".
    return _("%(kind)s, %(state)s, %(number)s") % {
        "kind": DocumentKind(document.kind).label,
        "state": f"{country_name(state)} ({state})" if state else _("issuing state not recorded"),
        "number": document.document_number or _("no number"),
    }


def _compared(values: Sequence[str | None]) -> str:
    """``differ`` when two recorded values disagree; ``partial`` when the recorded ones agree but
    some record has none (a value not asked or not known is no sign of two people); ``agree``
    otherwise — every record has the same value, or none has any."""
    recorded = {value for value in values if value is not None}
    if len(recorded) > 1:
        return "differ"
    if recorded and None in values:
        return "partial"
    return "agree"


def _shown(person: Person, field: str) -> str | None:
    value = getattr(person, field)
    if field == "date_of_birth":
        accuracy = str(BirthDateAccuracy(person.birth_date_accuracy).label)
        return (
            f"{value:%Y-%m-%d} ({accuracy})"
            if person.birth_date_accuracy == "exact"
            else f"{value:%Y} ({accuracy})"
        )
    if field == "nationality":
        return f"{country_name(value)} ({value})"
    if field == "sex":
        return str(Sex(value).label)
    return str(value).strip() or None


@officer_page
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """Open pairs as review groups (the records they join, reviewed together), children's first,
    then the most likely; decided pairs as a list. The selectors audit the read, and refuse
    another role (audited too)."""
    status = (
        CandidateStatus(request.GET.get("status", "open"))
        if request.GET.get("status") in CandidateStatus.values
        else CandidateStatus.OPEN
    )
    actor = actor_from_request(request)
    context: dict[str, Any] = {"status": status, "statuses": CandidateStatus.choices}
    if status == CandidateStatus.OPEN:
        queue = review_queue(actor=actor)
        context["queue"] = queue
        context["checks"] = check_backlog(actor=actor)
        context["rows"] = [_queue_row(group, actor.user.pk) for group in queue.groups]
    else:
        context["pairs"] = adjudication_queue(actor=actor, status=status)
    return page(request, "web/duplicates.html", context)


def _queue_row(group: ReviewGroup, user_id: object) -> dict[str, Any]:
    hold = group.hold(now())
    return {"group": group, "hold": hold, "mine": hold is not None and hold.reviewer.pk == user_id}


def _held_for(actor: Actor, pair_ids: Sequence[UUID]) -> dict[str, Any]:
    """Hold these open pairs for the reader (decision 0025) as they open them, and say so; or say
    who else holds them, and until when. A pair decided meanwhile is left to the decision's own
    refusal."""
    try:
        until = group_take(actor=actor, candidate_ids=pair_ids)
    except ReviewHeld as held:
        return {"held_elsewhere": held.message}
    except Conflict:
        return {}
    return {"held_until": until, "held_ids": pair_ids}


@officer_page
@require_POST
def duplicates_next(request: HttpRequest) -> HttpResponse:
    """*Review next*: the first group nobody else is reviewing, held for the reader and opened."""
    taken = review_next(actor=actor_from_request(request))
    if taken is None:
        messages.info(request, _("Nothing waits that nobody else reviews: the rest is being reviewed now."))
        return redirect("web:duplicates")
    if len(taken) == 1:
        return redirect("web:duplicate_detail", candidate_id=taken[0])
    return redirect("web:duplicate_group", candidate_id=taken[0])


@officer_page
@require_POST
def duplicates_leave(request: HttpRequest) -> HttpResponse:
    """*Leave*: end the reader's holds on the pairs of the screen they leave, for others to take."""
    group_release(actor=actor_from_request(request), candidate_ids=_pairs_posted(request, "release"))
    messages.info(request, _("You left these records: other adjudicators may take them now."))
    return redirect("web:duplicates")


@officer_page
@require_GET
def duplicate_detail(request: HttpRequest, candidate_id: UUID) -> HttpResponse:
    """Two records side by side: photos, fields, the score's per-field breakdown, past decisions,
    and, when other open pairs join it to more records, a link to decide them together on the group
    screen. ``access_candidate`` audits the read; a pair out of reach is the 404 page, the refusal
    audited."""
    actor = actor_from_request(request)
    pair = access_candidate(actor=actor, candidate_id=candidate_id)
    # Opening one pair holds its whole review group: a colleague is not handed the rest of it
    # while this pair is being decided (and Review next brings the reader back to it).
    group_ids, group_records = pair_review_group(actor=actor, candidate=pair)
    context = {
        **(_held_for(actor, group_ids) if group_ids else {}),
        "pair": pair,
        "group_records": group_records if group_records > 2 else None,
        "persons": [pair.person_low, pair.person_high],
        "rows": _side_by_side([pair.person_low, pair.person_high]),
        "contributions": [
            contribution_labelled(c) for c in sorted(pair.contributions, key=lambda c: -abs(c["weight"]))
        ],
        "rulings": Ruling.choices,
        **_confirmation(actor, pair),
    }
    return page(request, "web/duplicate_detail.html", context)


def _confirmation(actor: Actor, pair: MatchCandidate) -> dict[str, Any]:
    """The pair's decisions, newest first, and, for a link of a child's records waiting for a second
    adjudicator (decision 0031), the decision to confirm and whether the reader made it."""
    decisions = list(candidate_decisions(candidate=pair))
    pending = (
        next((d for d in decisions if d.undone_at is None), None)
        if pair.status == CandidateStatus.CONFIRM
        else None
    )
    return {
        "decisions": decisions,
        "to_confirm": pending,
        "linked_by_me": pending is not None and pending.decided_by_id == actor.user.pk,
    }


@officer_page
@require_POST
def duplicate_decide(request: HttpRequest, candidate_id: UUID) -> HttpResponse:
    ruling = request.POST.get("ruling", "")
    if ruling not in Ruling.values:  # the page's two buttons send one of them; anything else is refused
        messages.error(request, _("ruling: choose “Same person” or “Distinct people”; nothing was decided"))
        return redirect("web:duplicate_detail", candidate_id=candidate_id)
    try:
        decision = candidate_adjudicate(
            actor=actor_from_request(request),
            candidate_id=candidate_id,
            ruling=Ruling(ruling),
            reason=request.POST.get("reason", ""),
        )
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    else:
        decided = _("Decided: %(ruling)s.") % {"ruling": Ruling(ruling).label}
        pending = 1 if decision.candidate.status == CandidateStatus.CONFIRM else 0
        messages.success(request, f"{decided} {_confirmations_message(pending)}".strip())
    return redirect("web:duplicate_detail", candidate_id=candidate_id)


@officer_page
@require_POST
def duplicate_confirm(request: HttpRequest, candidate_id: UUID) -> HttpResponse:
    """A second adjudicator confirms the link of a child's records (decision 0031)."""
    try:
        candidate_confirm(actor=actor_from_request(request), candidate_id=candidate_id)
    except (Conflict, PermissionDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed: the records are linked as one person."))
    return redirect("web:duplicate_detail", candidate_id=candidate_id)


@officer_page
@require_POST
def duplicate_undo(request: HttpRequest, adjudication_id: UUID) -> HttpResponse:
    decision = adjudication_undo(actor=actor_from_request(request), adjudication_id=adjudication_id)
    messages.success(request, _("Undone: the pair is open again."))
    return redirect("web:duplicate_detail", candidate_id=decision.candidate_id)


# --- review groups ------------------------------------------------------------------------------


def _pairs_posted(request: HttpRequest, field: str = "pair") -> list[UUID]:
    try:
        return [UUID(value) for value in request.POST.getlist(field)]
    except ValueError as exc:  # only a page altered by hand sends that
        raise NotFound(_("no such candidate pair")) from exc


def _letters_posted(request: HttpRequest) -> dict[UUID, str]:
    """Every ``letter-<record id>`` field sent: the group may have changed since it was shown."""
    try:
        return {
            UUID(name.removeprefix("letter-")): request.POST.get(name, "").strip()
            for name in request.POST
            if name.startswith("letter-")
        }
    except ValueError as exc:  # only a page altered by hand sends that
        raise NotFound(_("no such candidate pair")) from exc


def _letters_missing(group: ReviewGroup, letters: dict[UUID, str]) -> list[int]:
    """The record numbers (from 1, as on the screen) that have no letter from A to H."""
    return [
        n for n, person in enumerate(group.persons, start=1) if letters.get(person.pk) not in set(LETTERS)
    ]


def _letters_proposed(group: ReviewGroup, links: dict[UUID, int]) -> dict[UUID, str]:
    """Records already linked as one person share a letter; the others wait for the adjudicator."""
    return {person.pk: LETTERS[links[person.pk]] if person.pk in links else "" for person in group.persons}


@officer_page
@require_http_methods(["GET", "POST"])
def duplicate_group(request: HttpRequest, candidate_id: UUID) -> HttpResponse:
    """The records an open pair's review group joins, side by side, and one answer for every pair:
    a letter per record. A pair no longer open goes to its own screen; the selector audits the read
    and refuses a pair out of reach."""
    actor = actor_from_request(request)
    group = access_review_group(actor=actor, candidate_id=candidate_id)
    if group is None:
        messages.info(request, _("This pair was decided meanwhile."))
        return redirect("web:duplicate_detail", candidate_id=candidate_id)
    linked = review_group_links(group=group)
    # A link waiting for a second adjudicator is proposed as one letter too: parting those records
    # is refused until it is undone (decision 0031).
    proposed = review_group_links(group=group, waiting=True)
    letters, status = _letters_proposed(group, proposed), 200
    if request.method == "POST":
        letters = _letters_posted(request)
        missing = _letters_missing(group, letters)
        if missing:
            messages.error(
                request,
                # Translators: %(records)s is a list of record numbers as on the screen ("2, 4").
                _("letters: give every record a person letter (record %(records)s has none); nothing decided")
                % {"records": ", ".join(str(n) for n in missing)},
            )
            status = 422
        else:
            try:
                decisions = group_adjudicate(
                    actor=actor,
                    candidate_ids=_pairs_posted(request),
                    letters=letters,
                    reason=request.POST.get("reason", ""),
                )
            except (Conflict, ValidationFailed) as exc:
                messages.error(request, exc.message)
                status = 409 if isinstance(exc, Conflict) else 422
            else:
                same = sum(1 for d in decisions if d.ruling == Ruling.SAME)
                pending = sum(1 for d in decisions if d.candidate.status == CandidateStatus.CONFIRM)
                decided = _decided_message(len(decisions), same)
                messages.success(request, f"{decided} {_confirmations_message(pending)}".strip())
                return redirect("web:duplicates")
    numbers = {person.pk: n for n, person in enumerate(group.persons, start=1)}
    context = {
        **_held_for(actor, [pair.pk for pair in group.pairs]),
        "group": group,
        "persons": group.persons,
        "columns": [
            {
                "person": p,
                "number": numbers[p.pk],
                "letter": letters.get(p.pk, ""),
                "linked": p.pk in linked,
                "waiting": p.pk in proposed and p.pk not in linked,
            }
            for p in group.persons
        ],
        "pair_rows": [
            {"pair": pair, "low": numbers[pair.person_low_id], "high": numbers[pair.person_high_id]}
            for pair in group.pairs
        ],
        "rows": _side_by_side(group.persons),
        "choices": LETTERS[: len(group.persons)],
    }
    return page(request, "web/duplicate_group.html", context, status=status)


def _decided_message(decided: int, same: int) -> str:
    return ngettext(
        "Decided %(count)s pair: %(same)s linked as one person, the others distinct.",
        "Decided %(count)s pairs: %(same)s linked as one person, the others distinct.",
        decided,
    ) % {"count": decided, "same": same}


def _confirmations_message(pending: int) -> str:
    """What a decision left for a second adjudicator (decision 0031); empty when nothing."""
    if not pending:
        return ""
    return ngettext(
        "A child is involved: the link takes effect once a second adjudicator confirms it.",
        "Children are involved: %(count)s links take effect once a second adjudicator confirms them.",
        pending,
    ) % {"count": pending}
