"""The returns section of the case page and its forms, and the download of a sent package.

Kinds, statuses and dates (T1) are shown to every case reader; the country of return or resettlement, the
receiving partner and the travel plan (T3) only to location readers; what the person asked and what was
assessed (T4) only to narrative readers; showing them is recorded (selectors.shown). Each form is offered only
to those its service would let through."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from palermo.access.declare import allow
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.web import (
    CASE_ROLES,
    attachment_response,
    render_form_conflict,
    render_section,
    section_changed,
    section_url,
    visible_case,
)
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.decisions import DecisionBlocked
from palermo.core.web import errors_into, invalid_status, is_htmx
from palermo.origin.selectors import citations_for
from palermo.returns import selectors
from palermo.returns.citing import RESETTLEMENT_KIND, RETURN_KIND
from palermo.returns.models import PackageDirection, ReturnStatus, TransnationalPackage
from palermo.returns.services.packages import PURPOSE_FIELDS
from palermo.returns.services.returns import OPEN, missing_for, missing_reason, partner_assessment_valid_until
from palermo.returns.views.actions import ACTIONS, Action

SECTION = "returns"


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _user, membership = acting(request)
    records = {kind: selectors.section_records(case, kind) for kind in selectors.SECTION_RECORDS}
    shown = {
        kind: selectors.shown(case, membership, tiers, items) if kind != "packages" else items
        for kind, items in records.items()
    }
    missing = {
        r.pk: [missing_reason(m) for m in missing_for(r)] for r in records["returns"] if r.status in OPEN
    }
    # The country information each return and resettlement cites (palermo.origin): one query for each kind.
    cited = citations_for(RETURN_KIND, [r.pk for r in records["returns"]])
    cited_resettlements = citations_for(RESETTLEMENT_KIND, [r.pk for r in records["resettlements"]])
    for item in shown["resettlements"]:
        item.cited = cited_resettlements[item.pk]
    return {
        "returns_child_case": case_is_child(case),
        "returns_list": [
            {
                "record": r,
                "missing": missing.get(r.record.pk, []),
                "cited": cited[r.record.pk],
                "partner_valid_until": partner_assessment_valid_until(r.record),
                "closable": r.status == ReturnStatus.RETURNED
                and all(f.contacted_on for f in r.record.followups.all()),
            }
            for r in shown["returns"]
        ],
        "returns_resettlements": shown["resettlements"],
        "returns_packages": shown["packages"],
        "returns_show_location": Tier.LOCATION in tiers,
        "returns_show_narrative": Tier.NARRATIVE in tiers,
        "returns_may": {
            slug.replace("-", "_"): action.allowed(membership, case) for slug, action in ACTIONS.items()
        },
        "returns_purpose_fields": PURPOSE_FIELDS,
    }


@allow(*CASE_ROLES)
@never_cache
@require_GET
def returns_section(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    return render_section(request, case, tiers, SECTION)


def _form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    if is_htmx(request):
        response = render(request, "returns/action_form.html", context, status=status)
        response["HX-Retarget"] = "#returns-action"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "returns/action_page.html", context, status=status)


def _act(request: HttpRequest, reference: str, slug: str, pk: int | None) -> HttpResponse:
    action: Action | None = ACTIONS.get(slug)
    if action is None or (pk is None) != (action.model is None):
        raise Http404
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    if not action.allowed(membership, case):
        raise PermissionDenied
    target = action.target(case, pk) if pk is not None else None
    options = action.form_options(user, case, target)
    context = {"case": case, "action": action, "slug": slug, "target": target}
    if request.method == "GET":
        initial = action.initial(target) if target is not None else None
        return _form_page(request, {**context, "form": action.form(case=case, initial=initial, **options)})
    form = action.form(request.POST, case=case, **options)
    if form.is_valid():
        try:
            action.save(user, membership, case, form.cleaned_data, target)
        except StaleEdit as stale:
            if not already_saved(stale.current, form.cleaned_data):
                # Someone saved first: the kernel's conflict screen, the record now at the reader's tiers.
                return render_form_conflict(
                    request,
                    form,
                    selectors.shown(case, membership, tiers, [stale.current])[0],
                    title=str(_("This record was changed while you were working on it")),
                    back_url=section_url(case, SECTION),
                )
            return _done(request, case, tiers, action)
        except ValidationError as error:
            errors_into(form, error)
        except DecisionBlocked as error:
            form.add_error(None, str(error))
        else:
            return _done(request, case, tiers, action)
    return _form_page(request, {**context, "form": form}, status=invalid_status(request))


def _done(request: HttpRequest, case: Case, tiers: frozenset[int], action: Action) -> HttpResponse:
    response = section_changed(request, case, tiers, SECTION, action.done)
    if is_htmx(request):
        response["HX-Retarget"] = "#section-returns"
        response["HX-Reswap"] = "outerHTML"
    return response


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def returns_action(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """GET: the form (a fragment for HTMX, else a page). POST: record it through the area's service."""
    return _act(request, reference, slug, None)


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def returns_action_on(request: HttpRequest, reference: str, slug: str, pk: int) -> HttpResponse:
    """The same, for an action on one record of the case (a return, a resettlement, a follow-up)."""
    return _act(request, reference, slug, pk)


@allow(*CASE_ROLES)
@never_cache
@require_GET
def package_token(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A sent package as a file to hand to the partner: ciphertext only its recipient opens."""
    case, _tiers = visible_case(request, reference)
    package = TransnationalPackage.objects.filter(case=case, pk=pk, direction=PackageDirection.SENT).first()
    if package is None:
        raise Http404
    return attachment_response(
        package.token.encode("ascii"), "application/jose", f"package-{package.package_id}.jwe"
    )
