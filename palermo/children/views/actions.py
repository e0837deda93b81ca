"""What each form of the children section does: its title and what the section's banner then says, its
form, the service it calls, who may use it and, for an action on one record, that record's model. The views
(palermo.children.views.section) stay the same for all of them (palermo.core.section_actions)."""

from __future__ import annotations

from typing import Any

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
from palermo.core.section_actions import SectionAction as Action


def _appoint(*, actor: User, membership: Membership, case: Case, guardian: Membership) -> Any:
    # The form chooses the guardian's membership: the person and the agency they act for.
    return guardian_replace(
        actor=actor, membership=membership, case=case, guardian=guardian.user, agency=guardian.agency
    )


def _no_guardian_yet(membership: Membership, case: Case) -> bool:
    return may_record_representative(membership, case) and not has_guardian(case)


ACTIONS: dict[str, Action] = {
    "guardian": Action(
        _("Appoint the child's guardian"),
        _("Guardian appointed"),
        forms.GuardianAppointForm,
        _appoint,
        may_appoint_guardian,
    ),
    "guardian-end": Action(
        _("End the guardianship"),
        _("Guardianship ended"),
        forms.GuardianEndForm,
        guardian_end,
        may_appoint_guardian,
        Guardianship,
    ),
    "representative": Action(
        _("Record who acts for the child until a guardian is appointed"),
        _("Temporary representative recorded"),
        forms.RepresentativeForm,
        temporary_representative_record,
        _no_guardian_yet,
    ),
    "representative-end": Action(
        _("The temporary representative no longer acts for the child"),
        _("The temporary representative no longer acts for the child"),
        forms.RepresentativeEndForm,
        temporary_representative_end,
        may_record_representative,
    ),
    "best-interest": Action(
        _("Record a best-interest assessment or determination"),
        _("Best-interest assessment recorded"),
        forms.BestInterestForm,
        best_interest_record,
        may_record_best_interest,
    ),
    "tracing": Action(
        _("Request family tracing"),
        _("Family tracing requested"),
        forms.TracingRequestForm,
        tracing_request,
        may_trace,
    ),
    "tracing-result": Action(
        _("Record the tracing result"),
        _("Tracing result recorded"),
        forms.TracingResultForm,
        tracing_result,
        may_record_result,
        TracingRequest,
    ),
    "contact": Action(
        _("Record a contact with the family"),
        _("Contact with the family recorded"),
        forms.FamilyContactForm,
        family_contact_record,
        may_trace,
    ),
    "family-assessment": Action(
        _("Assess the family's ability and willingness"),
        _("Family assessment recorded"),
        forms.FamilyAssessmentForm,
        family_assessment_record,
        may_trace,
    ),
    "care": Action(
        _("Decide the care arrangement"),
        _("Care arrangement decided"),
        forms.CareForm,
        care_arrange,
        may_decide_care,
    ),
    "care-review": Action(
        _("Review the care arrangement"),
        _("Care arrangement reviewed"),
        forms.CareReviewForm,
        care_review,
        may_decide_care,
        CareArrangement,
    ),
    "legal-status": Action(
        _("Record the decision on the child's legal status"),
        _("Decision on the child's legal status recorded"),
        forms.LegalStatusForm,
        legal_status_decide,
        may_decide,
    ),
    "solution": Action(
        _("Decide the durable solution"),
        _("Durable solution decided"),
        forms.SolutionForm,
        durable_solution_decide,
        may_decide,
    ),
    "return": Action(
        _("Record the child's return"),
        _("The child's return recorded"),
        forms.ReturnForm,
        return_record,
        may_decide,
        DurableSolution,
    ),
    "followup": Action(
        _("Record a follow-up contact"),
        _("Follow-up contact recorded"),
        forms.FollowUpForm,
        followup_record,
        may_decide,
        FollowUpContact,
    ),
}
