"""The children section of the case page (shown on a child's case only) and its forms.

Kinds, dates and outcomes (T1) are shown to every case reader; what was said and why (T4) only to T4
readers, where the family was found (T3) only to T3 readers, and showing narrative is recorded. Each form is
offered only to those its service would let through. Viewing the section writes nothing: the guardian
appointment deadline opens when the case is opened as a child's case or becomes one (palermo.cases.opening).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from palermo.access.declare import allow
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.services.representation import may_record_representative
from palermo.cases.web import (
    CASE_ROLES,
    render_form_conflict,
    render_section,
    section_changed,
    visible_case,
)
from palermo.children import selectors
from palermo.children.forms import ChildForm
from palermo.children.views.actions import ACTIONS, DONE, Action
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.decisions import ChildViewsMissing, DecisionBlocked
from palermo.core.web import errors_into, invalid_status, is_htmx

SECTION = "children"


# The section's lists: the context name of each, and its kind of record (selectors.SECTION_RECORDS).
LISTS = {
    "child_guardianships": "guardianships",
    "child_representatives": "representatives",
    "child_notices": "notices",
    "child_best_interest": "best_interest",
    "child_tracing": "tracing",
    "child_contacts": "contacts",
    "child_family_assessments": "family_assessments",
    "child_care": "care",
    "child_status_decisions": "status_decisions",
    "child_solutions": "solutions",
}
# Lists of case metadata only (T1), whose showing is not a recorded read.
METADATA_LISTS = frozenset({"child_guardianships", "child_notices"})


def _records(case: Case, held: selectors.OnFile) -> dict[str, list[Any]]:
    """Each list the section shows, read only when the case has records of its kind (`held`)."""
    return {
        name: selectors.section_records(case, kind) if kind in held.kinds else []
        for name, kind in LISTS.items()
    }


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    if not case_is_child(case):
        return {"child_case": False}
    _user, membership = acting(request)
    held = selectors.on_file(case)
    records = _records(case, held)
    show_narrative = Tier.NARRATIVE in tiers
    for name in records.keys() - METADATA_LISTS:
        records[name] = selectors.records_shown(case, membership, tiers, records[name])
    guardianship = next((g for g in records["child_guardianships"] if g.ended_at is None), None)
    return {
        "child_case": True,
        "child_guardian": guardianship,
        # Until a guardian is appointed: who acts for the child (the name is identity, T2: hidden below it).
        "child_representative": None if guardianship else next(iter(records["child_representatives"]), None),
        "child_show_narrative": show_narrative,
        "child_show_location": Tier.LOCATION in tiers,
        "child_consent_count": held.guardian_consents,
        "child_may": {
            slug.replace("-", "_"): action.allowed(membership, case)
            for slug, action in ACTIONS.items()
            if slug != "representative"
        }
        # Known already without asking again: whether a guardian is appointed.
        | {"representative": guardianship is None and may_record_representative(membership, case)},
        **records,
    }


def _changed(request: HttpRequest, case: Case, tiers: frozenset[int], done: str | Promise) -> HttpResponse:
    """The shared answer; for HTMX it replaces the whole section, whichever of its forms posted."""
    response = section_changed(request, case, tiers, SECTION, done)
    if is_htmx(request):
        response["HX-Retarget"] = "#section-children"
        response["HX-Reswap"] = "outerHTML"
    return response


@allow(*CASE_ROLES)
@never_cache
@require_GET
def children_section(request: HttpRequest, reference: str) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    return render_section(request, case, tiers, SECTION)


def _form_page(
    request: HttpRequest,
    case: Case,
    slug: str,
    action: Action,
    form: ChildForm,
    target: Any,
    status: int = 200,
) -> HttpResponse:
    context = {"case": case, "action": action, "slug": slug, "form": form, "target": target}
    if is_htmx(request):
        response = render(request, "children/action_form.html", context, status=status)
        response["HX-Retarget"] = "#children-action"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "children/action_page.html", context, status=status)


def _add_errors(form: ChildForm, error: Exception) -> None:
    if isinstance(error, ChildViewsMissing):
        for field, message in error.problems.items():
            form.add_error(field if field in form.fields else None, message)
    elif isinstance(error, ValidationError):
        errors_into(form, error)
    else:  # DecisionBlocked: what must happen first, no personal data
        form.add_error(None, str(error))


def _conflict(request: HttpRequest, case: Case, slug: str, form: ChildForm, current: Any) -> HttpResponse:
    """Someone saved the record first: both versions side by side, and a knowing re-apply."""
    return render_form_conflict(
        request,
        form,
        current,
        title=str(_("This record was changed while you were working on it")),
        retry_action=reverse("children:action_on", args=[case.reference, slug, current.pk]),
        back_url=reverse("cases:detail", args=[case.reference]) + "#section-children",
    )


def _act(request: HttpRequest, reference: str, slug: str, pk: int | None) -> HttpResponse:
    action = ACTIONS.get(slug)
    if action is None or (pk is None) != (action.model is None):
        raise Http404
    case, tiers = visible_case(request, reference)
    if not case_is_child(case):
        raise Http404
    user, membership = acting(request)
    if not action.allowed(membership, case):
        raise PermissionDenied
    target = action.target(case, pk) if pk is not None else None
    if request.method == "GET":
        initial = action.initial(target) if action.initial and target is not None else None
        return _form_page(request, case, slug, action, action.form(case=case, initial=initial), target)
    form = action.form(request.POST, case=case)
    if form.is_valid():
        try:
            action.save(user, membership, case, form.cleaned_data, target)
        except StaleEdit as stale:
            if not already_saved(stale.current, form.cleaned_data):
                return _conflict(request, case, slug, form, stale.current)
            return _changed(request, case, tiers, DONE[slug])
        except (ValidationError, ChildViewsMissing, DecisionBlocked) as error:
            _add_errors(form, error)
        else:
            return _changed(request, case, tiers, DONE[slug])
    return _form_page(request, case, slug, action, form, target, status=invalid_status(request))


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def child_action(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """GET: the form (a fragment for HTMX, else a page). POST: record it through the area's service."""
    return _act(request, reference, slug, None)


@allow(*CASE_ROLES)
@never_cache
@require_http_methods(["GET", "POST"])
def child_action_on(request: HttpRequest, reference: str, slug: str, pk: int) -> HttpResponse:
    """The same, for an action on one record (end a guardianship, review care, record a return)."""
    return _act(request, reference, slug, pk)
