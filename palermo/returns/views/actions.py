"""What each form of the returns section does: its form, title, who may use it, the service it calls and what
the section's banner then says. The views (palermo.returns.views.section) are the same for all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.returns import forms
from palermo.returns.models import Resettlement, ReturnFollowUp, VoluntaryReturn
from palermo.returns.services import packages, resettlement, returns

Save = Callable[[User, Membership, Case, dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Action:
    form: type[forms.ChildForm]
    title: str | Promise
    allowed: Callable[[Membership, Case], bool]
    save: Save
    done: str | Promise
    # For an action on one record: its model (looked up within the case).
    model: type[models.Model] | None = None
    form_options: Callable[[User, Case, Any], dict[str, Any]] = field(default=lambda user, case, target: {})

    def target(self, case: Case, pk: int) -> Any:
        assert self.model is not None  # noqa: S101  (only called for actions on a record)
        return get_object_or_404(self.model, pk=pk, case=case)

    def initial(self, target: Any) -> dict[str, Any] | None:
        return {"version": target.version} if hasattr(target, "version") else None


def _on_case(service: Callable[..., Any]) -> Save:
    def save(user: User, membership: Membership, case: Case, data: dict[str, Any], _target: Any) -> Any:
        return service(actor=user, membership=membership, case=case, **data)

    return save


def _on(service: Callable[..., Any], name: str) -> Save:
    def save(user: User, membership: Membership, case: Case, data: dict[str, Any], target: Any) -> Any:
        data = dict(data)
        if "version" in data:
            data["expected_version"] = data.pop("version")
        return service(actor=user, membership=membership, **{name: target}, **data)

    return save


def _send(user: User, membership: Membership, case: Case, data: dict[str, Any], _target: Any) -> Any:
    return packages.package_send(
        actor=user, membership=membership, case=case, partner=data["partner"], purpose=data["purpose"]
    )


def _consented_countries(user: User, case: Case, _target: Any) -> dict[str, Any]:
    from palermo.returns.selectors import consented_countries

    return {"countries": consented_countries(case)}


def _return_partner(user: User, case: Case, target: Any) -> dict[str, Any]:
    return {"target": target, "user": user}


RETURN = returns.may_work_on_return
ACTIONS: dict[str, Action] = {
    "return": Action(
        forms.ReturnRequestForm,
        _("Record the person's request to return"),
        RETURN,
        _on_case(returns.return_request),
        _("Voluntary return requested"),
    ),
    "return-partner": Action(
        forms.PartnerAssessForm,
        _("Record the receiving partner's assessment"),
        RETURN,
        _on(returns.return_partner_assess, "voluntary_return"),
        _("Receiving partner's assessment recorded"),
        model=VoluntaryReturn,
        form_options=_return_partner,
    ),
    "return-plan": Action(
        forms.ReturnPlanForm,
        _("Plan travel, reception and reintegration"),
        RETURN,
        _on(returns.return_plan, "voluntary_return"),
        _("Travel, reception and reintegration planned"),
        model=VoluntaryReturn,
    ),
    "return-clear": Action(
        forms.ReturnClearForm,
        _("Clear the return to proceed"),
        RETURN,
        _on(returns.return_clear, "voluntary_return"),
        _("Return cleared to proceed"),
        model=VoluntaryReturn,
    ),
    "return-arrived": Action(
        forms.ReturnArrivedForm,
        _("Record the person's arrival"),
        RETURN,
        _on(returns.return_arrived, "voluntary_return"),
        _("Return recorded; follow-up contacts scheduled"),
        model=VoluntaryReturn,
    ),
    "return-withdraw": Action(
        forms.ReturnWithdrawForm,
        _("The person withdraws the request"),
        RETURN,
        _on(returns.return_withdraw, "voluntary_return"),
        _("Voluntary return withdrawn"),
        model=VoluntaryReturn,
    ),
    "return-followup": Action(
        forms.ReturnFollowUpForm,
        _("Record a follow-up contact"),
        RETURN,
        _on(returns.return_followup_record, "followup"),
        _("Follow-up contact recorded"),
        model=ReturnFollowUp,
    ),
    "resettlement": Action(
        forms.ResettlementStartForm,
        _("Start a resettlement to a third country"),
        resettlement.may_work_on_resettlement,
        _on_case(resettlement.resettlement_start),
        _("Resettlement started"),
    ),
    "resettlement-step": Action(
        forms.ResettlementStepForm,
        _("Record a resettlement step"),
        resettlement.may_work_on_resettlement,
        _on(resettlement.resettlement_step, "resettlement"),
        _("Resettlement step recorded"),
        model=Resettlement,
    ),
    "resettlement-move": Action(
        forms.ResettlementMoveForm,
        _("Record the next stage or the outcome"),
        resettlement.may_work_on_resettlement,
        _on(resettlement.resettlement_move, "resettlement"),
        _("Resettlement outcome recorded"),
        model=Resettlement,
    ),
    "package": Action(
        forms.PackageSendForm,
        _("Send a referral package to a partner abroad"),
        packages.may_send,
        _send,
        _("Package sealed for the partner: download it from the list and hand it over."),
        form_options=_consented_countries,
    ),
}
