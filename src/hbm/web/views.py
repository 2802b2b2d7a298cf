"""The officers' pages. Each view finds what it shows with a selector (``access_*`` where a permission
boundary is crossed), hands a write to one service, and renders; refusals become pages through
:func:`~hbm.web.pages.officer_page`. Every write is a POST with a CSRF token.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hbm.accounts.enums import REGISTERING_ROLES, Role
from hbm.accounts.selectors import device_tokens_all, device_tokens_of
from hbm.accounts.services import (
    AccountLocked,
    credentials_check,
    device_token_create,
    device_token_revoke,
    login_record,
    logout_record,
)
from hbm.audit.selectors import audit_chain_verify, audit_entries_read
from hbm.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from hbm.core.http import actor_from_request
from hbm.core.time import today
from hbm.crossings.enums import CrossingMode
from hbm.crossings.models import CrossingPoint
from hbm.crossings.selectors import (
    access_crossing_point_for_figures,
    access_crossing_point_for_registration,
    crossing_points_of,
    mode_decisions_of,
)
from hbm.crossings.services import MODE_DECIDER_ROLES, crossing_mode_switch
from hbm.dedup.selectors import (
    check_backlog_if_behind,
    links_to_confirm,
    person_duplicate_status,
    person_same_as,
    registered_count,
)
from hbm.engines.tokens import TokenError, token_format
from hbm.field.enums import ConflictChoice, ConflictStatus, EditableField
from hbm.field.models import PersonConflict
from hbm.field.selectors import conflicts_list
from hbm.field.services import conflict_resolve
from hbm.protection.referrals import REFERRING_ROLES
from hbm.protection.selectors import referrals_of_person
from hbm.registration.api import PROTECTION_READER_ROLES
from hbm.registration.countries import country_name, language_name, language_options, nationality_options
from hbm.registration.enums import AgeBand, DocumentCondition, Sex, SpecificNeed, Tier
from hbm.registration.models import Group, Person
from hbm.registration.policy import RegistrationPolicy, policy_for
from hbm.registration.selectors import (
    SEARCH_LIMIT,
    access_group,
    access_person,
    crossing_point_day_figures,
    group_members,
    person_encounters,
    person_groups,
    person_photo_read,
    person_readers_check,
    person_words_found,
    persons_search,
    persons_visible_to,
)
from hbm.registration.services import (
    count_record,
    group_preregister,
    person_photo_set,
    person_register,
    photo_normalise,
)
from hbm.registration.values import age_on
from hbm.web.charts import hourly_bar_chart
from hbm.web.followup_views import person_followups
from hbm.web.forms import (
    AuditFilterForm,
    CountForm,
    DeviceForm,
    GroupForm,
    GroupLookupForm,
    LoginForm,
    ModeSwitchForm,
    PersonForm,
    SearchForm,
    day_parse,
    encounter_data_for,
)
from hbm.web.pages import (
    officer_page,
    page,
    point_remember,
    refusal_page,
    user_of,
)
from hbm.web.service_errors import service_errors_apply

AUDIT_PAGE_SIZE = 100
DEVICE_LIST_LIMIT = 500
DASHBOARD_DAYS = 3  # the day picker offers today and the days before it (the demo spans three)
# Roles that see no personal data in this release: their home page says what is open to them.
ROLES_WITHOUT_PERSONAL_DATA = frozenset(
    {Role.PLANNER, Role.AUDITOR, Role.ADMIN, Role.HEALTH_OFFICER, Role.CASEWORKER, Role.RECEPTION_MANAGER}
)


# --- sign-in ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    role: str
    display_name: str


def _demo_field(user: object, name: str) -> Any:
    return user.get(name, "") if isinstance(user, dict) else getattr(user, name, "")


def demo_accounts() -> list[DemoAccount]:
    """The demo users to show on the sign-in page: only in demo mode, none if the demo is absent."""
    if not settings.HBM_DEMO_MODE:
        return []
    try:
        from hbm.demo.users import DEMO_USERS
    except ImportError:
        return []
    accounts = []
    for user in DEMO_USERS:
        role = _demo_field(user, "role")
        try:
            role_label = str(Role(role).label)
        except ValueError:
            role_label = str(role)
        accounts.append(
            DemoAccount(
                username=str(_demo_field(user, "username")),
                password=str(_demo_field(user, "password")),
                role=role_label,
                display_name=str(_demo_field(user, "display_name")),
            )
        )
    return accounts


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("web:home")


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Sign in with a username and password; failures are counted by the lock-out and audited."""
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = credentials_check(
                request=request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except AccountLocked:
            form.add_error(
                None, _("Too many failed sign-ins: this account is locked for a while at this address.")
            )
            status = 429
        except NotAuthenticated:
            form.add_error(None, _("Wrong username or password."))
            status = 401
        else:
            auth_login(request, user)
            login_record(actor=actor_from_request(request))
            return redirect(_next_url(request))
    elif request.method == "POST":
        status = 422
    context = {"form": form, "demo_accounts": demo_accounts(), "next": _next_url(request)}
    return render(request, "web/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logout_record(actor=actor_from_request(request))
        auth_logout(request)
        messages.info(request, _("You are signed out."))
    return redirect("web:login")


# --- home ---------------------------------------------------------------------------------------


@officer_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The crossing points this user works at (all for a coordinator), or what the role offers."""
    user = user_of(request)
    points = list(crossing_points_of(user=user).order_by("name"))
    context = {
        "points": points,
        "sees_points": user.has_role(Role.COORDINATOR, *REGISTERING_ROLES),
        "registers": user.has_role(*REGISTERING_ROLES),
        "role_note": user.role if user.role in ROLES_WITHOUT_PERSONAL_DATA else None,
        "role_label": user.get_role_display(),
        # A stopped duplicate checker must not go unnoticed until someone opens the duplicates list.
        "checks": check_backlog_if_behind(actor=actor_from_request(request)),
        # A link of a child's records waits on a colleague: those who may confirm it are told.
        "to_confirm": links_to_confirm(actor=actor_from_request(request)).count(),
    }
    return page(request, "web/home.html", context)


# --- crossing point dashboard and mode switch -----------------------------------------------------


def _local_today(point: CrossingPoint) -> date:
    return datetime.now(ZoneInfo(point.timezone)).date()


def _dashboard_context(
    request: HttpRequest, point: CrossingPoint, mode_form: ModeSwitchForm | None
) -> dict[str, Any]:
    user = user_of(request)
    local_today = _local_today(point)
    day = day_parse(request.GET.get("day")) or local_today
    figures = crossing_point_day_figures(crossing_point=point, day=day)
    sexes = [(str(s.label), figures.by_sex_and_age.get(s.value, {})) for s in Sex]
    bands = list(AgeBand)
    may_decide = user.has_role(*MODE_DECIDER_ROLES)
    if may_decide and mode_form is None:
        mode_form = ModeSwitchForm(current_mode=point.mode)
    return {
        "point": point,
        "current_point": point,
        "day": day,
        "days": [local_today - timedelta(days=n) for n in range(DASHBOARD_DAYS - 1, -1, -1)],
        "figures": figures,
        # Everyone registered here so far, duplicates linked as one person counted once.
        "registered": registered_count(crossing_point=point),
        "tiers": [(str(t.label), figures.arrivals_by_tier.get(t.value, 0)) for t in Tier],
        "bands": [str(b.label) for b in bands],
        "sex_rows": [
            (label, [cells.get(b.value, 0) for b in bands], sum(cells.values())) for label, cells in sexes
        ],
        "band_totals": [sum(cells.get(b.value, 0) for _, cells in sexes) for b in bands],
        "sex_age_total": sum(sum(cells.values()) for _, cells in sexes),
        "nationalities": [(code, country_name(code), n) for code, n in figures.by_nationality],
        "documents": [
            (str(c.label), c.value, figures.documents_by_condition.get(c.value, 0)) for c in DocumentCondition
        ],
        "chart": hourly_bar_chart(figures.arrivals_per_hour),
        "decisions": list(mode_decisions_of(crossing_point=point)[:20]),
        "mode_form": mode_form if may_decide else None,
        "registers": user.has_role(*REGISTERING_ROLES),
        "policy": policy_for(point.mode),
    }


@officer_page
@require_GET
def crossing_point_dashboard(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """Aggregate figures of one local day (no personal data), the mode and its decisions."""
    point = access_crossing_point_for_figures(user=user_of(request), crossing_point_id=point_id)
    point_remember(request, point)
    return page(request, "web/dashboard.html", _dashboard_context(request, point, None))


@officer_page
@require_POST
def mode_switch(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """A coordinator switches the mode; the reason is kept with the decision."""
    user = user_of(request)
    point = access_crossing_point_for_figures(user=user, crossing_point_id=point_id)
    if not user.has_role(*MODE_DECIDER_ROLES):
        raise PermissionDenied("only a coordinator may switch a crossing point's mode")
    form = ModeSwitchForm(request.POST, current_mode=point.mode)
    if form.is_valid():
        try:
            decision = crossing_mode_switch(
                actor=actor_from_request(request),
                crossing_point_id=point.pk,
                to_mode=CrossingMode(form.cleaned_data["to_mode"]),
                reason=form.cleaned_data["reason"],
            )
        except (ValidationFailed, Conflict) as exc:
            service_errors_apply(form, exc)
        else:
            messages.success(
                request,
                _("%(point)s is now in %(mode)s mode.")
                % {"point": point.name, "mode": CrossingMode(decision.to_mode).label.lower()},
            )
            return redirect("web:crossing_point", point_id=point.pk)
    context = _dashboard_context(request, point, form)
    return page(request, "web/dashboard.html", context, status=422)


# --- registration -------------------------------------------------------------------------------


def _registration_point(request: HttpRequest, point_id: UUID) -> tuple[CrossingPoint, RegistrationPolicy]:
    point = access_crossing_point_for_registration(user=user_of(request), crossing_point_id=point_id)
    point_remember(request, point)
    return point, policy_for(point.mode)


def _tier_refused(request: HttpRequest, point: CrossingPoint, tier: Tier) -> HttpResponse:
    return refusal_page(
        request,
        status=409,
        title=_("Not done in this mode"),
        message=_("%(tier)s is not done in %(mode)s mode at %(point)s.")
        % {"tier": tier.label, "mode": CrossingMode(point.mode).label.lower(), "point": point.name},
    )


def _registration_context(point: CrossingPoint, policy: RegistrationPolicy, tier: Tier) -> dict[str, Any]:
    return {
        "point": point,
        "current_point": point,
        "policy": policy,
        "tier": tier,
        "tiers": sorted(policy.tiers, key=list(Tier).index),
    }


@officer_page
@require_http_methods(["GET", "POST"])
def register_count(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """Count how many crossed, by sex and age band. No names."""
    point, policy = _registration_point(request, point_id)
    if Tier.COUNT not in policy.tiers:
        return _tier_refused(request, point, Tier.COUNT)
    form = CountForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                count_record(
                    actor=actor_from_request(request),
                    crossing_point_id=point.pk,
                    cells=form.cells(),
                    data=encounter_data_for(point.kind),
                )
            except (ValidationFailed, Conflict) as exc:
                service_errors_apply(form, exc, aliases={"cells": ""})
            else:
                total = sum(c.count for c in form.cells())
                messages.success(request, _("Saved: %(total)s people counted.") % {"total": total})
                return redirect("web:register_count", point_id=point.pk)
    context = {
        **_registration_context(point, policy, Tier.COUNT),
        "form": form,
        "bands": [str(b.label) for b in AgeBand],
    }
    return page(request, "web/register_count.html", context, status=status)


@officer_page
@require_http_methods(["GET", "POST"])
def register_group(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """Pre-register a family or travel group; the token card opens next."""
    point, policy = _registration_point(request, point_id)
    if Tier.GROUP not in policy.tiers:
        return _tier_refused(request, point, Tier.GROUP)
    form = GroupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                group = group_preregister(
                    actor=actor_from_request(request),
                    crossing_point_id=point.pk,
                    size=form.cleaned_data["size"],
                    head_name=form.cleaned_data["head_name"],
                    nationality=form.cleaned_data["nationality"],
                    token=form.cleaned_data["token"],
                    data=encounter_data_for(point.kind),
                )
            except (ValidationFailed, Conflict) as exc:
                service_errors_apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Saved: group %(token)s pre-registered.") % {"token": token_format(group.token)},
                )
                return redirect("web:group_card", group_id=group.pk)
    context = {
        **_registration_context(point, policy, Tier.GROUP),
        "form": form,
        "nationality_options": nationality_options(),
    }
    return page(request, "web/register_group.html", context, status=status)


def _person_initial(request: HttpRequest) -> dict[str, str]:
    token = request.GET.get("group", "")[:20]
    # A token that does not validate is shown as typed; saving then says what is wrong with it.
    with contextlib.suppress(TokenError):
        token = token_format(token) if token else ""
    return {"group_token": token, "nationality": request.GET.get("nationality", "")[:3].upper()}


def _person_save(request: HttpRequest, point: CrossingPoint, form: PersonForm) -> Person | None:
    """Register the person and attach the photo, all or nothing; ``None`` with the form's errors set.

    The photo is checked before anything is written so that a bad image never leaves a person
    registered without the photo the officer meant to attach.
    """
    actor = actor_from_request(request)
    upload = form.cleaned_data.get("photo")
    photo = upload.read() if upload else None
    try:
        if photo is not None:
            photo_normalise(photo)
        with transaction.atomic():
            person = person_register(
                actor=actor,
                crossing_point_id=point.pk,
                data=form.individual_data(encounter_data_for(point.kind)),
            )
            if photo is not None:
                person_photo_set(actor=actor, person=person, data=photo)
    except (ValidationFailed, Conflict) as exc:
        service_errors_apply(form, exc, aliases=PersonForm.SERVICE_FIELD_ALIASES)
        return None
    return person


def person_display_name(person: Person) -> str:
    latin = ", ".join(part for part in (person.surname_latin, person.given_names_latin) if part)
    return latin or " ".join(part for part in (person.surname_original, person.given_names_original) if part)


@officer_page
@require_http_methods(["GET", "POST"])
def register_person(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """Register one individual with the data set of the mode; then the next member of the group."""
    point, policy = _registration_point(request, point_id)
    if Tier.INDIVIDUAL not in policy.tiers:
        return _tier_refused(request, point, Tier.INDIVIDUAL)
    status = 200
    if request.method == "POST":
        form = PersonForm(request.POST, request.FILES, policy=policy)
        status = 422
        if form.is_valid() and (person := _person_save(request, point, form)) is not None:
            messages.success(request, _("Saved: %(name)s.") % {"name": person_display_name(person)})
            keep = {
                "group": form.cleaned_data.get("group_token") or "",
                "nationality": form.cleaned_data["nationality"],
                "last": str(person.pk),
            }
            query = urlencode({k: v for k, v in keep.items() if v})
            return redirect(f"{reverse('web:register_person', kwargs={'point_id': point.pk})}?{query}")
    else:
        form = PersonForm(initial=_person_initial(request), policy=policy)
    last = request.GET.get("last", "")
    context = {
        **_registration_context(point, policy, Tier.INDIVIDUAL),
        "form": form,
        "last_person_id": _uuid_or_none(last),
        "nationality_options": nationality_options(),
        "language_options": language_options(),
        "document_open": policy.document_required or form.has_document_input(),
        "more_open": _more_open(policy, form),
    }
    return page(request, "web/register_person.html", context, status=status)


def _more_open(policy: RegistrationPolicy, form: PersonForm) -> bool:
    """Place of birth and languages are shown open when the mode asks for them or they were used."""
    names = ("place_of_birth", "languages")
    return (
        any(policy.requires(name) for name in names)
        or any(form[name].value() for name in names)
        or any(form[name].errors for name in names)
    )


def _uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


# --- groups -------------------------------------------------------------------------------------


def _qr_svg(token: str, *, label: str) -> SafeString:
    """The token as a QR code, drawn as inline SVG on the server (segno, no image request)."""
    qr = segno.make(token, error="m")
    # segno writes only the path and the escaped title: markup it built itself.
    svg = qr.svg_inline(scale=1, border=2, omitsize=True, title=label, svgclass="qr", lineclass="qr__line")
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


@officer_page
@require_GET
def group_card(request: HttpRequest, group_id: UUID) -> HttpResponse:
    """The printable token card of a group: token, QR code, crossing point, date, size, nationality."""
    group = access_group(actor=actor_from_request(request), group_id=group_id)
    label = _("QR code of token %(token)s") % {"token": token_format(group.token)}
    context = {**_group_context(request, group), "qr": _qr_svg(group.token, label=label)}
    return page(request, "web/group_card.html", context)


@officer_page
@require_GET
def group_detail(request: HttpRequest, group_id: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    group = access_group(actor=actor, group_id=group_id)
    return page(request, "web/group_detail.html", _group_context(request, group))


def _group_context(request: HttpRequest, group: Group) -> dict[str, Any]:
    user = user_of(request)
    members = group_members(group=group)
    point = group.crossing_point
    registers_here = (
        user.has_role(*REGISTERING_ROLES) and crossing_points_of(user=user).filter(pk=point.pk).exists()
    )
    next_member_url = ""
    if registers_here and Tier.INDIVIDUAL in policy_for(point.mode).tiers:
        query = urlencode({"group": group.token, "nationality": group.nationality})
        next_member_url = f"{reverse('web:register_person', kwargs={'point_id': point.pk})}?{query}"
    return {
        "group": group,
        "point": point,
        "token_display": token_format(group.token),
        "members": [(p, person_display_name(p), rel) for p, rel in members],
        "member_count": len(members),
        "next_member_url": next_member_url,
    }


@officer_page
@require_GET
def group_lookup(request: HttpRequest) -> HttpResponse:
    """Find a group by the token on its wristband; a mistyped token is named as such."""
    form = GroupLookupForm(request.GET or None)
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                group = access_group(actor=actor_from_request(request), token=form.cleaned_data["token"])
            except NotFound:
                form.add_error("token", _("No group with this token at your crossing points."))
                status = 404
            else:
                return redirect("web:group_detail", group_id=group.pk)
    return page(request, "web/group_lookup.html", {"form": form}, status=status)


# --- persons ------------------------------------------------------------------------------------


@officer_page
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    """Search persons at the user's crossing points; each search is audited, a refusal too."""
    actor = actor_from_request(request)
    person_readers_check(actor=actor)
    form = SearchForm(request.GET or None)
    results: list[Person] | None = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 422
    elif form.is_bound and form.has_criteria():
        d = form.cleaned_data
        try:
            results = persons_search(
                actor=actor,
                query=d["q"],
                nationality=d["nationality"],
                token=d["token"],
                document_number=d["document_number"],
                date_of_birth=d["date_of_birth"],
                parent_name=d["parent_name"],
                sounds_like=d["sounds"],
                limit=SEARCH_LIMIT + 1,  # one more than shown: more match than the page lists
            )
        except ValidationFailed as exc:
            service_errors_apply(form, exc)
            status = 422
    query = form.cleaned_data.get("q", "") if results is not None else ""
    parent = form.cleaned_data.get("parent_name", "") if results is not None else ""
    context = {
        "form": form,
        "results": (
            [
                (p, person_display_name(p), not person_words_found(p, query, parent))
                for p in results[:SEARCH_LIMIT]
            ]
            if results is not None
            else None
        ),
        "more": results is not None and len(results) > SEARCH_LIMIT,
        # The same search by sound, offered under a search by words (a link, the criteria kept).
        "sounds_search": (
            f"{request.GET.urlencode()}&sounds=on"
            if results is not None
            and (query or parent)
            and not form.cleaned_data["sounds"]
            and len(results) <= SEARCH_LIMIT
            else ""
        ),
        "nationality_options": nationality_options(),
    }
    return page(request, "web/person_search.html", context, status=status)


@officer_page
@require_GET
def person_detail(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """One person as this user may see them; the read is audited."""
    actor = actor_from_request(request)
    person = access_person(actor=actor, person_id=person_id, purpose="view")
    needs = person.specific_needs or []
    context = {
        "person": person,
        "name": person_display_name(person),
        "age": age_on(person.date_of_birth, today()),
        "nationality_name": country_name(person.nationality),
        "person_languages": [(code, language_name(code)) for code in person.languages or []],
        "has_specific_needs": bool(needs),
        "specific_needs": (
            [str(SpecificNeed(n).label) for n in needs]
            if actor.user.has_role(*PROTECTION_READER_ROLES)
            else None
        ),
        "documents": list(person.documents.order_by("created_at")),
        "may_refer": actor.user.has_role(*REFERRING_ROLES),
        "referrals": referrals_of_person(person=person) if actor.user.has_role(*REFERRING_ROLES) else [],
        "followups": person_followups(request, person.pk),
        "encounters": list(person_encounters(person=person)),
        "groups": [(g, token_format(g.token)) for g in person_groups(person=person)],
        "same_as": list(
            persons_visible_to(actor=actor)
            .filter(pk__in=person_same_as(person=person))
            .select_related("registered_at")
        ),
    }
    duplicates = person_duplicate_status(actor=actor, person=person)
    context["duplicates"] = duplicates
    context["duplicate_pairs"] = [
        (pair, pair.person_high if pair.person_low_id == person.pk else pair.person_low)
        for pair in duplicates.pairs
    ]
    return page(request, "web/person_detail.html", context)


@officer_page
@require_GET
def person_photo(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """The photo as JPEG, never cached by the browser; each view is audited."""
    data = person_photo_read(actor=actor_from_request(request), person_id=person_id)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response


# --- devices ------------------------------------------------------------------------------------


def _sees_all_devices(request: HttpRequest) -> bool:
    return user_of(request).has_role(Role.COORDINATOR, Role.ADMIN)


@officer_page
@require_http_methods(["GET", "POST"])
def devices(request: HttpRequest) -> HttpResponse:
    """Device tokens (all of them for coordinators and admins) and issuing one for a new device."""
    user = user_of(request)
    form = DeviceForm(request.POST if request.method == "POST" else None)
    issued = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                issued = device_token_create(
                    actor=actor_from_request(request), name=form.cleaned_data["name"]
                )
            except ValidationFailed as exc:
                service_errors_apply(form, exc, aliases={"device_name": "name"})
            else:
                status = 201
                form = DeviceForm()
    sees_all = _sees_all_devices(request)
    tokens = (device_tokens_all() if sees_all else device_tokens_of(user=user)).select_related(
        "user", "field_device"
    )
    context = {
        "form": form,
        "issued": issued,
        "tokens": list(tokens[:DEVICE_LIST_LIMIT]),
        "sees_all": sees_all,
    }
    response = page(request, "web/devices.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the raw token is on this page once
    return response


@officer_page
@require_POST
def device_revoke(request: HttpRequest, token_id: UUID) -> HttpResponse:
    token = device_token_revoke(actor=actor_from_request(request), token_id=str(token_id))
    messages.success(
        request, _("Revoked: the token of “%(name)s” is refused from now on.") % {"name": token.name}
    )
    return redirect("web:devices")


# --- conflicts of offline edits -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """One conflict as the page shows it: values as text, the field by its label."""

    conflict: PersonConflict
    field_label: str
    server_value: str
    device_value: str
    current_value: str


def _value_text(field: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if field == EditableField.NATIONALITY:
        return f"{country_name(str(value))} ({value})"
    if field == EditableField.LANGUAGES:
        return ", ".join(language_name(code) for code in value)
    if field == EditableField.SEX:
        return str(Sex(value).label)
    return str(value)


def _conflict_row(conflict: PersonConflict) -> ConflictRow:
    return ConflictRow(
        conflict=conflict,
        field_label=str(EditableField(conflict.field).label),
        server_value=_value_text(conflict.field, conflict.server_value),
        device_value=_value_text(conflict.field, conflict.device_value),
        current_value=_value_text(conflict.field, conflict.current_value),
    )


@officer_page
@require_GET
def conflicts(request: HttpRequest) -> HttpResponse:
    """Fields two officers changed apart (offline): both values, for a coordinator to choose."""
    status = ConflictStatus.RESOLVED if request.GET.get("status") == "resolved" else ConflictStatus.OPEN
    rows = [_conflict_row(c) for c in conflicts_list(actor=actor_from_request(request), status=status)]
    return page(
        request, "web/conflicts.html", {"rows": rows, "showing_resolved": status == ConflictStatus.RESOLVED}
    )


@officer_page
@require_POST
def conflict_resolution(request: HttpRequest, conflict_id: UUID) -> HttpResponse:
    choice = request.POST.get("choice", "")
    if choice not in ConflictChoice.values:
        raise NotFound(_("no such choice"))
    try:
        conflict = conflict_resolve(
            actor=actor_from_request(request), conflict_id=conflict_id, choice=ConflictChoice(choice)
        )
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Resolved: %(field)s of this person is settled.")
            % {"field": EditableField(conflict.field).label},
        )
    return redirect("web:conflicts")


# --- audit --------------------------------------------------------------------------------------


@officer_page
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """The audit trail, newest first, and whether its hash chain is intact. Auditor only: each read
    is audited by ``audit_entries_read``, a refusal too."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = audit_entries_read(
        actor=actor_from_request(request),
        subject_id=filters.get("subject_id") or "",
        event=filters.get("event") or "",
        actor_label=filters.get("actor") or "",
    )
    page_of_entries = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "entries": page_of_entries,
        "verdict": audit_chain_verify(),
        "filter_query": query.urlencode(),
    }
    return page(request, "web/audit.html", context)
