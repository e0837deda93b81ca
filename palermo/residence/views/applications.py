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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES, render_conflict, visible_case
from palermo.core.concurrency import StaleEdit
from palermo.core.staff_pages import staff_page
from palermo.core.web import confirm, errors_into, form_values
from palermo.origin.selectors import citations_for
from palermo.residence.citing import KIND as CITING_KIND
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
    decisions = list(application.decisions.all())
    # The country information each decision cites (palermo.origin), saying whether it changed since.
    cited = citations_for(CITING_KIND, [decision.pk for decision in decisions])
    for decision in decisions:
        decision.cited = cited[decision.pk]  # type: ignore[attr-defined]
    context = {
        "case": case,
        "application": application,
        "decisions": decisions,
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


@staff_page(allow(*CASE_ROLES), "GET")
def application_page(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, tiers = visible_case(request, reference)
    return _page(request, case, tiers, pk)


MakeForm = Callable[[Any, Case, Membership], Form]
# What a form gives its service besides who acts, the application and the version read.
Arguments = Callable[[Form], dict[str, Any]]


def _application_action(
    form_name: str,
    make_form: MakeForm,
    service: Callable[..., object],
    arguments: Arguments = lambda form: {},
    *,
    done: str | Promise,
) -> Callable[..., HttpResponse]:
    """The view of one of the application's forms: validate, run `service`, and answer: the page again,
    with the form's errors or the conflict screen."""

    @staff_page(allow(*CASE_ROLES), "POST")
    def act(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
        case, tiers = visible_case(request, reference)
        user, membership = acting(request)
        application = application_of(case, pk)
        form = make_form(request.POST, case, membership)
        if form.is_valid():
            try:
                service(
                    actor=user,
                    membership=membership,
                    application=application,
                    **arguments(form),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                return _conflict(request, case, pk, stale)
            except ValidationError as error:
                errors_into(form, error)
        if form.errors:
            return _page(request, case, tiers, pk, status=400, **{form_name: form})
        confirm(request, done)
        return redirect(reverse("residence:application", args=[case.reference, pk]))

    return act


def _conflict(request: HttpRequest, case: Case, pk: int, stale: StaleEdit) -> HttpResponse:
    """Someone changed the application first: its status now, and the form's values to send again."""
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


def _decision(form: Form) -> dict[str, Any]:
    assert isinstance(form, DecisionForm)  # noqa: S101
    data = form.cleaned_data
    fields = form_values(data, "outcome", "reasons", "decided_on", "refusal_ground", "valid_from", "valid_to")
    return {"data": DecisionInput(**fields, child_views=form.child_views())}


def _appeal(form: Form) -> dict[str, Any]:
    data = form.cleaned_data
    return {**form_values(data, "body", "lodged_on"), "grounds": data.get("grounds") or ""}


def _findings(form: Form) -> dict[str, Any]:
    assert isinstance(form, AssessmentForm)  # noqa: S101
    return {"findings": form.findings(), "notes": form.cleaned_data["notes"]}


decide_view = _application_action(
    "decision_form",
    lambda data, case, membership: DecisionForm(data, is_child=case.is_child),
    decision_record,
    _decision,
    done=_("Decision recorded"),
)
appeal_view = _application_action(
    "appeal_form",
    lambda data, case, membership: AppealForm(
        data, with_narrative=can_write(membership, case, Tier.NARRATIVE)
    ),
    appeal_lodge,
    _appeal,
    done=_("Appeal lodged"),
)
withdraw_view = _application_action(
    "withdraw_form",
    lambda data, case, membership: WithdrawForm(data),
    application_withdraw,
    done=_("Application withdrawn"),
)
correct_view = _application_action(
    "correct_form",
    lambda data, case, membership: CorrectForm(data),
    application_correct,
    lambda form: form_values(form.cleaned_data, "authority", "lodged_on"),
    done=_("Application corrected"),
)
assess_view = _application_action(
    "assessment_form",
    lambda data, case, membership: AssessmentForm(data),
    assessment_save,
    _findings,
    done=_("Humanitarian assessment saved"),
)
