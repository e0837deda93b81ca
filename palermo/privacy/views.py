"""The data protection officer's pages: the overview (the cases the retention run is to anonymise soon, the
legal holds in force, the latest runs, and finding a case by its reference), the legal holds, and the screen
for one case: legal hold, subject access export, erasure."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.core.concurrency import StaleEdit
from palermo.core.form_pages import reported
from palermo.core.rulebooks import rulebook
from palermo.core.web import confirm, first_rows, paged, refusals_onto
from palermo.privacy import services
from palermo.privacy.export import subject_access_export
from palermo.privacy.forms import EraseForm, HoldForm
from palermo.privacy.models import Anonymisation
from palermo.privacy.periods import retention_ends
from palermo.privacy.selectors import (
    SOON_DAYS,
    anonymised_count,
    dpo_cases,
    due_for_anonymisation,
    holds_of,
    latest_runs,
    standing_holds,
)
from palermo.privacy.web import acting_on_case

PAGE_SIZE = 25
HOLDS_SHOWN = 5


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def find(request: HttpRequest) -> HttpResponse:
    """The overview, where a case is found by its reference too."""
    membership = acting(request).membership
    reference = request.GET.get("reference", "").strip()
    if reference:
        if dpo_cases(membership).filter(reference=reference).exists():
            return redirect("privacy:case", reference=reference)
        messages.error(request, _("No case with this reference that you answer for."))
    holds, holds_total = first_rows(standing_holds(membership), HOLDS_SHOWN)
    context = {
        "reference": reference,
        "due": paged(request, due_for_anonymisation(membership, timezone.localdate()), PAGE_SIZE),
        "soon_days": SOON_DAYS,
        "holds": holds,
        "holds_total": holds_total,
        "anonymised": anonymised_count(membership),
        "runs": latest_runs(),
    }
    return render(request, "privacy/find.html", context)


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def holds(request: HttpRequest) -> HttpResponse:
    """Every legal hold in force on the cases the officer answers for, the latest first."""
    page = paged(request, standing_holds(acting(request).membership), PAGE_SIZE)
    return render(request, "privacy/holds.html", {"page": page})


def _page(request: HttpRequest, case: Case, **forms: object) -> HttpResponse:
    context = {
        "case": case,
        "holds": holds_of(case),
        "standing": services.standing_hold(case),
        "anonymisation": Anonymisation.objects.filter(case=case).first(),
        "retention_ends": retention_ends(case),
        "erasure_allowed": rulebook().retention.erasure_on_request and case.status in services.CLOSED_STATES,
        "hold_form": forms.get("hold_form") or HoldForm(prefix="hold"),
        "erase_form": forms.get("erase_form")
        or EraseForm(expected=case.reference, prefix="erase", initial={"version": case.version}),
    }
    return render(request, "privacy/case.html", context, status=400 if forms else 200)


def _submit(
    request: HttpRequest, case: Case, name: str, form: Form, act: Callable[[], object], done: str
) -> HttpResponse:
    """Act once the form is valid; a refusal comes back on the page in the form's error summary."""
    if form.is_valid():
        # Not `apply_at_version`: its double-send check would take the typed reference, which the case
        # still holds, for a save already made, and tell a stale erasure as done.
        try:
            refusals_onto(form, act, by_field=False)
        except StaleEdit:  # erasure states the version read: the case moved on, nothing was erased
            form.add_error(None, _("This case changed after you opened it. Nothing was erased: look again."))
        if not form.errors:
            confirm(request, done)
            return redirect("privacy:case", reference=case.reference)
    return _page(request, case, **{name: form})


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    _user, _membership, case = acting_on_case(request, reference)
    return _page(request, case)


@allow(Role.DATA_PROTECTION_OFFICER)
@require_POST
def hold_place(request: HttpRequest, reference: str) -> HttpResponse:
    user, membership, case = acting_on_case(request, reference)
    form = HoldForm(request.POST, prefix="hold")
    return _submit(
        request,
        case,
        "hold_form",
        form,
        lambda: services.legal_hold_place(
            actor=user, membership=membership, case=case, reason=form.cleaned_data["reason"]
        ),
        _("Legal hold placed: the case will not be anonymised."),
    )


@allow(Role.DATA_PROTECTION_OFFICER)
@require_POST
def hold_lift(request: HttpRequest, reference: str) -> HttpResponse:
    user, membership, case = acting_on_case(request, reference)
    lift = partial(services.legal_hold_lift, actor=user, membership=membership, case=case)
    reported(request, lift, _("Legal hold lifted."))
    return redirect("privacy:case", reference=reference)


@allow(Role.DATA_PROTECTION_OFFICER)
@require_POST
def erase(request: HttpRequest, reference: str) -> HttpResponse:
    user, membership, case = acting_on_case(request, reference)
    form = EraseForm(request.POST, expected=case.reference, prefix="erase")
    return _submit(
        request,
        case,
        "erase_form",
        form,
        lambda: services.case_erase(
            actor=user, membership=membership, case=case, expected_version=form.cleaned_data["version"]
        ),
        _("The person's data on this case was erased."),
    )


@allow(Role.DATA_PROTECTION_OFFICER)
@never_cache
def export(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    user, membership, case = acting_on_case(request, reference)
    content, language = subject_access_export(
        actor=user, membership=membership, case=case, kind=kind, language=request.GET.get("language", "")
    )
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="data-{case.reference}-{language}.{kind}"'
    return response
