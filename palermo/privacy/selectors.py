"""Which cases a data protection officer answers for: a national DPO (rapporteur's office, operator) every
case; an agency's DPO the cases their agency leads or is on the team of. Anyone else: none (404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from palermo.access.models import CaseTeamMember
from palermo.accounts.models import Membership
from palermo.accounts.roles import Role
from palermo.audit.selectors import is_national_dpo
from palermo.cases.models import Case
from palermo.privacy.models import LegalHold


def dpo_cases(membership: Membership | None) -> QuerySet[Case]:
    if membership is None or membership.role != Role.DATA_PROTECTION_OFFICER:
        return Case.objects.none()
    if is_national_dpo(membership):
        return Case.objects.all()
    on_team = CaseTeamMember.objects.filter(agency_id=membership.agency_id).values("case_id")
    return Case.objects.filter(Q(lead_agency_id=membership.agency_id) | Q(pk__in=on_team))


def holds_of(case: Case) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case=case).select_related("placed_by", "lifted_by")
