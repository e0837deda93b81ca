"""What each form of the children section does: its form, its title, who may see it, and the service it calls.
The views (palermo.children.views.section) stay the same for all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.cases.services.representation import (
    has_guardian,
    may_record_representative,
    temporary_representative_end,
    temporary_representative_record,
)
from palermo.children import forms
from palermo.children.models import (
    CareArrangement,
    DurableSolution,
    FollowUpContact,
    Guardianship,
    TracingRequest,
)
from palermo.children.services.best_interest import best_interest_record, may_record_best_interest
from palermo.children.services.care import care_arrange, care_review, may_decide_care
from palermo.children.services.guardianship import guardian_end, guardian_replace, may_appoint_guardian
from palermo.children.services.solutions import (
    durable_solution_decide,
    followup_record,
    legal_status_decide,
    may_decide,
    return_record,
)
from palermo.children.services.tracing import (
    family_assessment_record,
    family_contact_record,
    may_record_result,
    may_trace,
    tracing_request,
    tracing_result,
)

Save = Callable[[User, Membership, Case, dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Action:
    form: type[forms.ChildForm]
    title: str | Promise
    allowed: Callable[[Membership, Case], bool]
    save: Save
    # For an action on one record: its model (looked up within the case) and the form's initial values.
    model: type[models.Model] | None = None
    initial: Callable[[Any], dict[str, Any]] | None = None

    def target(self, case: Case, pk: int) -> Any:
        assert self.model is not None  # noqa: S101  (only called for actions on a record)
        return get_object_or_404(self.model, pk=pk, case=case)


def _who(user: User, membership: Membership) -> dict[str, Any]:
    return {"actor": user, "membership": membership}


def _appoint(user: User, membership: Membership, case: Case, data: dict[str, Any], _target: Any) -> Any:
    chosen: Membership = data["guardian"]
    return guardian_replace(**_who(user, membership), case=case, guardian=chosen.user, agency=chosen.agency)


def _no_guardian_yet(membership: Membership, case: Case) -> bool:
    return may_record_representative(membership, case) and not has_guardian(case)


def _end_representation(
    user: User, membership: Membership, case: Case, _data: dict[str, Any], _t: Any
) -> Any:
    return temporary_representative_end(actor=user, membership=membership, case=case)


def _decision(service: Callable[..., Any]) -> Save:
    def save(user: User, membership: Membership, case: Case, data: dict[str, Any], _target: Any) -> Any:
        return service(**_who(user, membership), case=case, **data)

    return save


def _on(service: Callable[..., Any], name: str) -> Save:
    def save(user: User, membership: Membership, case: Case, data: dict[str, Any], target: Any) -> Any:
        return service(**_who(user, membership), **{name: target}, **data)

    return save


def _versioned(service: Callable[..., Any], name: str) -> Save:
    def save(user: User, membership: Membership, case: Case, data: dict[str, Any], target: Any) -> Any:
        data = dict(data)
        data["expected_version"] = data.pop("version")
        return service(**_who(user, membership), **{name: target}, **data)

    return save


def _version(record: Any) -> dict[str, Any]:
    return {"version": record.version}


ACTIONS: dict[str, Action] = {
    "guardian": Action(
        forms.GuardianAppointForm, _("Appoint the child's guardian"), may_appoint_guardian, _appoint
    ),
    "guardian-end": Action(
        forms.GuardianEndForm,
        _("End the guardianship"),
        may_appoint_guardian,
        _on(guardian_end, "guardianship"),
        model=Guardianship,
    ),
    "representative": Action(
        forms.RepresentativeForm,
        _("Record who acts for the child until a guardian is appointed"),
        _no_guardian_yet,
        _decision(temporary_representative_record),
    ),
    "representative-end": Action(
        forms.RepresentativeEndForm,
        _("The temporary representative no longer acts for the child"),
        may_record_representative,
        _end_representation,
    ),
    "best-interest": Action(
        forms.BestInterestForm,
        _("Record a best-interest assessment or determination"),
        may_record_best_interest,
        _decision(best_interest_record),
    ),
    "tracing": Action(
        forms.TracingRequestForm, _("Request family tracing"), may_trace, _decision(tracing_request)
    ),
    "tracing-result": Action(
        forms.TracingResultForm,
        _("Record the tracing result"),
        may_record_result,
        _versioned(tracing_result, "tracing"),
        model=TracingRequest,
        initial=_version,
    ),
    "contact": Action(
        forms.FamilyContactForm,
        _("Record a contact with the family"),
        may_trace,
        _decision(family_contact_record),
    ),
    "family-assessment": Action(
        forms.FamilyAssessmentForm,
        _("Assess the family's ability and willingness"),
        may_trace,
        _decision(family_assessment_record),
    ),
    "care": Action(
        forms.CareForm, _("Decide the care arrangement"), may_decide_care, _decision(care_arrange)
    ),
    "care-review": Action(
        forms.CareReviewForm,
        _("Review the care arrangement"),
        may_decide_care,
        _on(care_review, "arrangement"),
        model=CareArrangement,
    ),
    "legal-status": Action(
        forms.LegalStatusForm,
        _("Record the decision on the child's legal status"),
        may_decide,
        _decision(legal_status_decide),
    ),
    "solution": Action(
        forms.SolutionForm, _("Decide the durable solution"), may_decide, _decision(durable_solution_decide)
    ),
    "return": Action(
        forms.ReturnForm,
        _("Record the child's return"),
        may_decide,
        _versioned(return_record, "solution"),
        model=DurableSolution,
        initial=_version,
    ),
    "followup": Action(
        forms.FollowUpForm,
        _("Record a follow-up contact"),
        may_decide,
        _on(followup_record, "followup"),
        model=FollowUpContact,
    ),
}

# What the section's banner says once each action is recorded.
DONE: dict[str, str | Promise] = {
    "guardian": _("Guardian appointed"),
    "guardian-end": _("Guardianship ended"),
    "representative": _("Temporary representative recorded"),
    "representative-end": _("The temporary representative no longer acts for the child"),
    "best-interest": _("Best-interest assessment recorded"),
    "tracing": _("Family tracing requested"),
    "tracing-result": _("Tracing result recorded"),
    "contact": _("Contact with the family recorded"),
    "family-assessment": _("Family assessment recorded"),
    "care": _("Care arrangement decided"),
    "care-review": _("Care arrangement reviewed"),
    "legal-status": _("Decision on the child's legal status recorded"),
    "solution": _("Durable solution decided"),
    "return": _("The child's return recorded"),
    "followup": _("Follow-up contact recorded"),
}
