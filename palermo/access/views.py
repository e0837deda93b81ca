"""The access screens: emergency (break-glass) access, its review by data protection officers, and the case
team. Thin: the forms check input, the services decide and write, the selectors read."""

from __future__ import annotations

import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.access import policy, services
from palermo.access.declare import allow
from palermo.access.forms import BreakGlassForm, TeamAddForm, TeamRemoveForm
from palermo.access.matrix import Relation, break_glass_roles, entry
from palermo.access.models import CaseTeamMember, case_model
from palermo.access.selectors import (
    break_glass_grant_visible,
    break_glass_grants_visible,
    break_glass_reads,
    case_for,
    case_team_entries,
)
from palermo.access.tiered import Tiered
from palermo.access.tiers import Tier
from palermo.access.web import NOT_AVAILABLE, TEAM_ROLES
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.core.form_pages import reported
from palermo.core.staff_pages import staff_page
from palermo.core.web import first_rows, paged, posted, refusals_onto

if TYPE_CHECKING:
    from palermo.cases.models import Case

PAGE_SIZE = 50
BREAK_GLASS_ROLES = tuple(sorted(break_glass_roles()))


def _in_words(moment: datetime.datetime) -> str:
    """A moment as the page says it, with its time zone: "7 December 2026, 14:05 UTC"."""
    return f"{date_format(moment, 'DATETIME_FORMAT')} {moment.tzname()}"


def case_url(case: Case) -> str | None:
    try:
        return reverse("cases:detail", args=[case.reference])
    except NoReverseMatch:
        return None


# --- emergency access ---


@staff_page(allow(*BREAK_GLASS_ROLES), "GET", "POST")
def break_glass(request: HttpRequest) -> HttpResponse:
    """Type a case reference and a reason; a case that does not exist and one this user may not open answer
    alike. Every attempt that opens nothing is recorded too."""
    user, membership = acting(request)
    form = BreakGlassForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"]
        case = case_model().objects.filter(reference=reference).first()
        if case is None or not services.may_open_break_glass(membership, case):
            services.break_glass_refusal_record(
                actor=user, membership=membership, typed_reference=reference, case=case
            )
            form.add_error(None, NOT_AVAILABLE)
        else:
            grant = services.break_glass_open(
                actor=user, membership=membership, case=case, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _(
                    "Emergency access to case %(reference)s is open until %(expires)s. "
                    "It is recorded and notified."
                )
                % {
                    "reference": case.reference,
                    "expires": _in_words(timezone.localtime(grant.expires_at)),
                },
            )
            return redirect(case_url(case) or reverse("access:break_glass"))
    emergency = entry(membership.role, Relation.BREAK_GLASS)
    context = {
        "form": form,
        "hours": services.break_glass_hours(),
        "emergency_tiers": [tier.label for tier in sorted(emergency.read - {Tier.AGGREGATE})],
        "emergency_why": _(emergency.why),  # a message of palermo.access.reasons
    }
    return render(request, "access/break_glass.html", context)


@staff_page(allow(Role.DATA_PROTECTION_OFFICER), "GET")
def break_glass_report(request: HttpRequest) -> HttpResponse:
    _, membership = acting(request)
    grants = break_glass_grants_visible(membership)
    if request.GET.get("show") == "unreviewed":
        grants = grants.filter(reviewed_at__isnull=True)
    page = paged(request, grants, PAGE_SIZE)
    query = "show=unreviewed" if request.GET.get("show") == "unreviewed" else ""
    opened = break_glass_reads(page)
    for grant in page:
        grant.opened = opened.get(grant.pk, [])
    return render(
        request, "access/break_glass_report.html", {"page": page, "query": query, "user_id": request.user.pk}
    )


PANEL_ROWS = 5


def review_panel(request: HttpRequest, membership: Membership) -> dict[str, Any]:
    """The home page's panel for a data protection officer: the emergency accesses not yet reviewed, newest
    first, and how many there are (one query)."""
    waiting = break_glass_grants_visible(membership).filter(reviewed_at__isnull=True)
    rows, total = first_rows(waiting, PANEL_ROWS)
    return {"rows": rows, "total": total}


@allow(Role.DATA_PROTECTION_OFFICER)
@require_POST
def break_glass_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    user, membership = acting(request)
    grant = break_glass_grant_visible(membership, grant_id)
    reported(
        request,
        lambda: services.break_glass_review(actor=user, membership=membership, grant=grant),
        _("Emergency access %(number)d marked as reviewed.") % {"number": grant.pk},
    )
    return redirect("access:break_glass_report")


# --- the case team ---


@staff_page(allow(*TEAM_ROLES), "GET", "POST")
def case_team(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's team, with forms to add and remove entries for those who manage it."""
    user, membership = acting(request)
    case = case_for(membership, reference, Tier.METADATA)
    manages = policy.can_manage_team(membership, case)
    add_form = TeamAddForm(request.POST if request.POST.get("action") == "add" else None)
    remove_form = TeamRemoveForm(request.POST if request.POST.get("action") == "remove" else None)
    if request.method == "POST":
        if not manages:
            raise Http404
        done = _team_add(request, user, membership, case, add_form) or _team_remove(
            request, user, membership, case, remove_form
        )
        if done:
            return redirect("access:case_team", reference=case.reference)
    context = {
        "case": case,
        "case_url": case_url(case),
        # Tiered: an entry naming a safe house's provider or a health service reads at T3 or T4.
        "entries": [
            Tiered(entry, policy.tiers_allowed(membership, case)) for entry in case_team_entries(case)
        ],
        "manages": manages,
        "add_form": add_form,
        "remove_form": remove_form,
    }
    return render(request, "access/case_team.html", context, status=400 if request.method == "POST" else 200)


def _team_add(
    request: HttpRequest, user: User, membership: Membership, case: Case, form: TeamAddForm
) -> bool:
    if not form.is_bound or not form.is_valid():
        return False
    data = form.cleaned_data
    add = partial(
        services.case_team_add,
        actor=user,
        membership=membership,
        case=case,
        agency=data["agency"],
        user=data["person"],
        reason=data["reason"],
    )
    refusals_onto(form, add, by_field=False)  # a refusal goes onto the form's error summary
    if form.errors:
        return False
    messages.success(request, _("Added to the case team."))
    return True


def _team_remove(
    request: HttpRequest, user: User, membership: Membership, case: Case, form: TeamRemoveForm
) -> bool:
    if not form.is_bound or not form.is_valid():
        return False
    entry = (
        CaseTeamMember.objects.filter(pk=form.cleaned_data["entry"], case=case, removed_at__isnull=True)
        .select_related("agency", "user")
        .first()
    )
    if entry is None:
        form.add_error(None, _("Not on the case team."))
        return False
    try:
        services.case_team_remove(
            actor=user,
            membership=membership,
            case=case,
            agency=entry.agency,
            user=entry.user,
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, error if isinstance(error, ValidationError) else _("Not allowed."))
        return False
    messages.success(request, _("Removed from the case team."))
    return True
