"""What each form of the returns section does: its title and what the section's banner then says, its form,
the service it calls, who may use it and, for an action on one record, that record's model. The views
(palermo.returns.views.section) are the same for all of them (palermo.core.section_actions)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.core.section_actions import SectionAction as Action
from palermo.origin.models import Partner
from palermo.returns import forms
from palermo.returns.models import Resettlement, ReturnFollowUp, TransnationalPackage, VoluntaryReturn
from palermo.returns.services import packages, resettlement, returns


def _send(
    *, actor: User, membership: Membership, case: Case, partner: Partner, purpose: str, checked: bool
) -> Any:
    # The form's check that the person consented is the sender's, not the service's.
    return packages.package_send(
        actor=actor, membership=membership, case=case, partner=partner, purpose=purpose
    )


def _send_again(
    *, actor: User, membership: Membership, package: TransnationalPackage, confirmed: bool
) -> Any:
    return packages.package_send_again(actor=actor, membership=membership, package=package)


def _consented_countries(user: User, case: Case, _target: Any) -> dict[str, Any]:
    from palermo.returns.selectors import consented_countries

    return {"countries": consented_countries(case)}


def _return_partner(user: User, case: Case, target: Any) -> dict[str, Any]:
    return {"target": target, "user": user}


RETURN = returns.may_work_on_return
RESETTLE = resettlement.may_work_on_resettlement
ACTIONS: dict[str, Action] = {
    "return": Action(
        _("Record the person's request to return"),
        _("Voluntary return requested"),
        forms.ReturnRequestForm,
        returns.return_request,
        RETURN,
    ),
    "return-partner": Action(
        _("Record the receiving partner's assessment"),
        _("Receiving partner's assessment recorded"),
        forms.PartnerAssessForm,
        returns.return_partner_assess,
        RETURN,
        VoluntaryReturn,
        _return_partner,
    ),
    "return-plan": Action(
        _("Plan travel, reception and reintegration"),
        _("Travel, reception and reintegration planned"),
        forms.ReturnPlanForm,
        returns.return_plan,
        RETURN,
        VoluntaryReturn,
    ),
    "return-views": Action(
        _("Record the child's and the guardian's views on the return"),
        _("The child's and the guardian's views recorded"),
        forms.ReturnViewsForm,
        returns.return_views_record,
        returns.may_record_child_views,
        VoluntaryReturn,
    ),
    "return-clear": Action(
        _("Clear the return to proceed"),
        _("Return cleared to proceed"),
        forms.ReturnClearForm,
        returns.return_clear,
        RETURN,
        VoluntaryReturn,
    ),
    "return-arrived": Action(
        _("Record the person's arrival"),
        _("Return recorded; follow-up contacts scheduled"),
        forms.ReturnArrivedForm,
        returns.return_arrived,
        RETURN,
        VoluntaryReturn,
    ),
    "return-withdraw": Action(
        _("The person withdraws the request"),
        _("Voluntary return withdrawn"),
        forms.ReturnWithdrawForm,
        returns.return_withdraw,
        RETURN,
        VoluntaryReturn,
    ),
    "return-close": Action(
        _("Close the return after its follow-up contacts"),
        _("Return closed"),
        forms.ReturnCloseForm,
        returns.return_close,
        RETURN,
        VoluntaryReturn,
    ),
    "return-followup": Action(
        _("Record a follow-up contact"),
        _("Follow-up contact recorded"),
        forms.ReturnFollowUpForm,
        returns.return_followup_record,
        RETURN,
        ReturnFollowUp,
    ),
    "resettlement": Action(
        _("Start a resettlement to a third country"),
        _("Resettlement started"),
        forms.ResettlementStartForm,
        resettlement.resettlement_start,
        RESETTLE,
    ),
    "resettlement-step": Action(
        _("Record a resettlement step"),
        _("Resettlement step recorded"),
        forms.ResettlementStepForm,
        resettlement.resettlement_step,
        RESETTLE,
        Resettlement,
    ),
    "resettlement-move": Action(
        _("Record the next stage or the outcome"),
        _("Resettlement outcome recorded"),
        forms.ResettlementMoveForm,
        resettlement.resettlement_move,
        RESETTLE,
        Resettlement,
    ),
    "package": Action(
        _("Send a referral package to a partner abroad"),
        _(
            "Package sealed for the partner. The list of packages says whether it is on its way to the "
            "partner's inbox or is to be downloaded and handed over."
        ),
        forms.PackageSendForm,
        _send,
        packages.may_send,
        form_options=_consented_countries,
    ),
    "package-again": Action(
        _("Send the package again"),
        _("Package queued to be sent again: the list of packages follows its delivery."),
        forms.PackageSendAgainForm,
        _send_again,
        packages.may_send,
        TransnationalPackage,
    ),
}
