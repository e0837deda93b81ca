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
from palermo.returns.models import Resettlement, ReturnFollowUp, TransnationalPackage, VoluntaryReturn
from palermo.returns.services import packages, resettlement, returns

Save = Callable[[User, Membership, Case, dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Action:
    """One form of the section: its title, the form class and the call that records it; the banner's words
    once done; who may use it; for an action on one record, that record's model (looked up within the case);
    and what else the form is built with."""

    title: str | Promise
    form: type[forms.ChildForm]
    save: Save
    done: str | Promise
    allowed: Callable[[Membership, Case], bool]
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


def _send_again(user: User, membership: Membership, case: Case, data: dict[str, Any], target: Any) -> Any:
    return packages.package_send_again(actor=user, membership=membership, package=target)


def _consented_countries(user: User, case: Case, _target: Any) -> dict[str, Any]:
    from palermo.returns.selectors import consented_countries

    return {"countries": consented_countries(case)}


def _return_partner(user: User, case: Case, target: Any) -> dict[str, Any]:
    return {"target": target, "user": user}


RETURN = returns.may_work_on_return
ACTIONS: dict[str, Action] = {
    "return": Action(
        _("Record the person's request to return"),
        forms.ReturnRequestForm,
        _on_case(returns.return_request),
        _("Voluntary return requested"),
        RETURN,
    ),
    "return-partner": Action(
        _("Record the receiving partner's assessment"),
        forms.PartnerAssessForm,
        _on(returns.return_partner_assess, "voluntary_return"),
        _("Receiving partner's assessment recorded"),
        RETURN,
        model=VoluntaryReturn,
        form_options=_return_partner,
    ),
    "return-plan": Action(
        _("Plan travel, reception and reintegration"),
        forms.ReturnPlanForm,
        _on(returns.return_plan, "voluntary_return"),
        _("Travel, reception and reintegration planned"),
        RETURN,
        model=VoluntaryReturn,
    ),
    "return-views": Action(
        _("Record the child's and the guardian's views on the return"),
        forms.ReturnViewsForm,
        _on(returns.return_views_record, "voluntary_return"),
        _("The child's and the guardian's views recorded"),
        returns.may_record_child_views,
        model=VoluntaryReturn,
    ),
    "return-clear": Action(
        _("Clear the return to proceed"),
        forms.ReturnClearForm,
        _on(returns.return_clear, "voluntary_return"),
        _("Return cleared to proceed"),
        RETURN,
        model=VoluntaryReturn,
    ),
    "return-arrived": Action(
        _("Record the person's arrival"),
        forms.ReturnArrivedForm,
        _on(returns.return_arrived, "voluntary_return"),
        _("Return recorded; follow-up contacts scheduled"),
        RETURN,
        model=VoluntaryReturn,
    ),
    "return-withdraw": Action(
        _("The person withdraws the request"),
        forms.ReturnWithdrawForm,
        _on(returns.return_withdraw, "voluntary_return"),
        _("Voluntary return withdrawn"),
        RETURN,
        model=VoluntaryReturn,
    ),
    "return-close": Action(
        _("Close the return after its follow-up contacts"),
        forms.ReturnCloseForm,
        _on(returns.return_close, "voluntary_return"),
        _("Return closed"),
        RETURN,
        model=VoluntaryReturn,
    ),
    "return-followup": Action(
        _("Record a follow-up contact"),
        forms.ReturnFollowUpForm,
        _on(returns.return_followup_record, "followup"),
        _("Follow-up contact recorded"),
        RETURN,
        model=ReturnFollowUp,
    ),
    "resettlement": Action(
        _("Start a resettlement to a third country"),
        forms.ResettlementStartForm,
        _on_case(resettlement.resettlement_start),
        _("Resettlement started"),
        resettlement.may_work_on_resettlement,
    ),
    "resettlement-step": Action(
        _("Record a resettlement step"),
        forms.ResettlementStepForm,
        _on(resettlement.resettlement_step, "resettlement"),
        _("Resettlement step recorded"),
        resettlement.may_work_on_resettlement,
        model=Resettlement,
    ),
    "resettlement-move": Action(
        _("Record the next stage or the outcome"),
        forms.ResettlementMoveForm,
        _on(resettlement.resettlement_move, "resettlement"),
        _("Resettlement outcome recorded"),
        resettlement.may_work_on_resettlement,
        model=Resettlement,
    ),
    "package": Action(
        _("Send a referral package to a partner abroad"),
        forms.PackageSendForm,
        _send,
        _(
            "Package sealed for the partner. The list of packages says whether it is on its way to the "
            "partner's inbox or is to be downloaded and handed over."
        ),
        packages.may_send,
        form_options=_consented_countries,
    ),
    "package-again": Action(
        _("Send the package again"),
        forms.PackageSendAgainForm,
        _send_again,
        _("Package queued to be sent again: the list of packages follows its delivery."),
        packages.may_send,
        model=TransnationalPackage,
    ),
}
