"""One application's page: its decisions with their reasons (T2, for T2 readers only) and the child's views
(T4, for T4 readers and the decision's author), its appeals (grounds T4), the permit it gave, the humanitarian
assessment (its findings T4; others see only how far it has got), and the forms to decide, appeal, withdraw,
correct and assess; showing T2 or T4 text is a recorded read.
Each form is shown only to those the service would let through; a stale version shows the conflict screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from palermo.access.declare import allow
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES, render_conflict, visible_case
from palermo.core.concurrency import StaleEdit
from palermo.core.web import errors_into
from palermo.residence.forms import (
    AppealForm,
    AssessmentForm,
    CorrectForm,
    DecisionForm,
    WithdrawForm,
)
from palermo.residence.models import Application, ApplicationKind, ApplicationStatus
from palermo.residence.selectors import (
    application_of,
    applications_of,
    applications_shown,
    assessment_of,
    assessment_progress,
    awaited_due_on,
    child_views_shown,
)
from palermo.residence.services.applications import application_correct, application_withdraw
from palermo.residence.services.common import may_assess, may_decide, may_record_application
from palermo.residence.services.decisions import DecisionInput, appeal_lodge, decision_record
from palermo.residence.services.humanitarian import assessment_save


def _full(case: Case, pk: int) -> Application:
    """The application with its decisions, appeals, permit and assessment prefetched."""
    found = applications_of(case, pk)
    if not found:
        raise Http404
    return found[0]


def _forms(application: Application, membership: Membership, case: Case) -> dict[str, Form | None]:
    version = {"version": application.version}
    record = may_record_application(membership, case)
    decide = may_decide(membership, case)
    assess = may_assess(membership, case)
    assessment = assessment_of(application) if assess else None
    narrative = can_write(membership, case, Tier.NARRATIVE)
    is_open = application.is_open
    return {
        "decision_form": (
            DecisionForm(initial=version, is_child=case.is_child) if decide and is_open else None
        ),
        "appeal_form": (
            AppealForm(initial=version, with_narrative=narrative)
            if record and application.status == ApplicationStatus.REFUSED
            else None
        ),
        "withdraw_form": WithdrawForm(initial=version) if record and is_open else None,
        "correct_form": (
            CorrectForm(
                initial={**version, "authority": application.authority, "lodged_on": application.lodged_on}
            )
            if record and application.status == ApplicationStatus.PENDING
            else None
        ),
        "assessment_form": (
            AssessmentForm(
                initial={
                    **({name: value for name, _label, value in assessment.findings()} if assessment else {}),
                    "notes": assessment.notes if assessment else "",
                    "version": assessment.version if assessment else None,
                }
            )
            if assess and is_open and application.kind == ApplicationKind.HUMANITARIAN
            else None
        ),
    }


def _page(
    request: HttpRequest, case: Case, tiers: frozenset[int], pk: int, status: int = 200, **forms: Any
) -> HttpResponse:
    _user, membership = acting(request)
    application = _full(case, pk)
    show_narrative = Tier.NARRATIVE in tiers
    applications_shown(case, membership, tiers, [application])
    context = {
        "case": case,
        "application": application,
        "decisions": list(application.decisions.all()),
        "appeals": list(application.appeals.all()),
        "assessment": assessment_of(application) if show_narrative else None,
        "assessment_progress": assessment_progress(application),
        "due_on": awaited_due_on(application),
        "show_reasons": Tier.IDENTITY in tiers,
        "show_narrative": show_narrative,
        "child_views_shown": child_views_shown([application], membership, tiers),
        "show_location": Tier.LOCATION in tiers,
        **_forms(application, membership, case),
        **forms,
    }
    return render(request, "residence/application.html", context, status=status)


@allow(*CASE_ROLES)
@never_cache
@require_GET
def application_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    return _page(request, case, tiers, pk)


Action = Callable[[User, Membership, Application, Form], object]


def _handle(
    request: HttpRequest,
    reference: str,
    pk: int,
    form_name: str,
    make_form: Callable[..., Form],
    action: Action,
) -> HttpResponse:
    """Validate the form, run the service, and answer: the page again, with errors or the conflict screen."""
    case, tiers = visible_case(request, reference)
    user, membership = acting(request)
    application = application_of(case, pk)
    form = make_form(request.POST, case=case, membership=membership)
    if form.is_valid():
        try:
            action(user, membership, application, form)
        except StaleEdit as stale:
            retry = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
            retry["version"] = stale.current.version  # type: ignore[attr-defined]
            current = application_of(case, pk).get_status_display()
            return render_conflict(
                request,
                title=str(_("The application was changed while you were editing it")),
                rows=[{"label": _("Status"), "yours": "", "current": current}],
                retry_action=request.path,
                retry_fields=retry,
                back_url=reverse("residence:application", args=[case.reference, pk]),
            )
        except ValidationError as error:
            errors_into(form, error)
    if form.errors:
        return _page(request, case, tiers, pk, status=400, **{form_name: form})
    return redirect(reverse("residence:application", args=[case.reference, pk]))


@allow(*CASE_ROLES)
@never_cache
@require_POST
def decide_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    def action(user: User, membership: Membership, application: Application, form: Form) -> object:
        data = form.cleaned_data
        assert isinstance(form, DecisionForm)  # noqa: S101
        return decision_record(
            actor=user,
            membership=membership,
            application=application,
            data=DecisionInput(
                outcome=data["outcome"],
                reasons=data["reasons"],
                decided_on=data["decided_on"],
                refusal_ground=data["refusal_ground"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                child_views=form.child_views(),
            ),
            expected_version=data["version"],
        )

    def make(data: Any, case: Case, membership: Membership) -> Form:
        return DecisionForm(data, is_child=case.is_child)

    return _handle(request, reference, pk, "decision_form", make, action)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def appeal_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    def action(user: User, membership: Membership, application: Application, form: Form) -> object:
        data = form.cleaned_data
        return appeal_lodge(
            actor=user,
            membership=membership,
            application=application,
            body=data["body"],
            lodged_on=data["lodged_on"],
            grounds=data.get("grounds") or "",
            expected_version=data["version"],
        )

    def make(data: Any, case: Case, membership: Membership) -> Form:
        return AppealForm(data, with_narrative=can_write(membership, case, Tier.NARRATIVE))

    return _handle(request, reference, pk, "appeal_form", make, action)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def withdraw_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    def action(user: User, membership: Membership, application: Application, form: Form) -> object:
        return application_withdraw(
            actor=user,
            membership=membership,
            application=application,
            expected_version=form.cleaned_data["version"],
        )

    return _handle(request, reference, pk, "withdraw_form", lambda data, **_: WithdrawForm(data), action)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def correct_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    def action(user: User, membership: Membership, application: Application, form: Form) -> object:
        data = form.cleaned_data
        return application_correct(
            actor=user,
            membership=membership,
            application=application,
            authority=data["authority"],
            lodged_on=data["lodged_on"],
            expected_version=data["version"],
        )

    return _handle(request, reference, pk, "correct_form", lambda data, **_: CorrectForm(data), action)


@allow(*CASE_ROLES)
@never_cache
@require_POST
def assess_view(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    def action(user: User, membership: Membership, application: Application, form: Form) -> object:
        assert isinstance(form, AssessmentForm)  # noqa: S101
        return assessment_save(
            actor=user,
            membership=membership,
            application=application,
            findings=form.findings(),
            notes=form.cleaned_data["notes"],
            expected_version=form.cleaned_data["version"],
        )

    return _handle(request, reference, pk, "assessment_form", lambda data, **_: AssessmentForm(data), action)
