"""Which audit events a data protection officer may see.

- A **national** DPO (membership in a national coordinator/rapporteur office or the operator) oversees the
  whole system and sees every event.
- An **agency** DPO sees what concerns their agency: events done while acting for the agency; events on
  cases the agency works on (cases it leads, and cases it is or was on the team of: its people handled those
  records, so its DPO answers for them); events with no acting agency (sign-in, sign-out) by the agency's
  members; and events about the agency itself, its members' accounts and its memberships (account
  creation, grants and revocations, failed sign-ins on a member's account).

Anyone else sees nothing: the screen and the API are declared for the DPO role only, and this selector also
returns no events for any other role, so a mistake in a declaration does not open the log.
"""

from __future__ import annotations

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from palermo.access.models import CaseTeamMember, case_model
from palermo.accounts.models import Membership
from palermo.accounts.roles import AgencyType, Role
from palermo.audit.models import AuditEvent

NATIONAL_OVERSIGHT = frozenset({AgencyType.RAPPORTEUR, AgencyType.OPERATOR})


def is_national_dpo(membership: Membership) -> bool:
    return membership.role == Role.DATA_PROTECTION_OFFICER and membership.agency.type in NATIONAL_OVERSIGHT


def _as_text(queryset: QuerySet, field: str) -> QuerySet:
    """Ids as text, to compare with AuditEvent.object_id (a string column)."""
    return queryset.annotate(key=Cast(field, output_field=CharField())).values("key")


def _agency_scope(agency_id: int) -> Q:
    memberships = Membership.objects.filter(agency_id=agency_id)
    cases = case_model().objects.filter(
        Q(lead_agency_id=agency_id)
        | Q(pk__in=CaseTeamMember.objects.filter(agency_id=agency_id).values("case_id"))
    )
    return (
        Q(agency_id=agency_id)
        | Q(case_id__in=cases.values("pk"))
        | Q(agency__isnull=True, actor_id__in=memberships.values("user_id"))
        | Q(object_type="user", object_id__in=_as_text(memberships, "user_id"))
        | Q(object_type="membership", object_id__in=_as_text(memberships, "pk"))
        | Q(object_type="agency", object_id=str(agency_id))
    )


def audit_events_visible(*, membership: Membership | None) -> QuerySet[AuditEvent]:
    """The events this acting membership may read, newest first, with what a list shows joined in."""
    events = AuditEvent.objects.select_related("actor", "agency", "case").order_by("-sequence")
    if membership is None or membership.role != Role.DATA_PROTECTION_OFFICER:
        return events.none()
    if is_national_dpo(membership):
        return events
    return events.filter(_agency_scope(membership.agency_id))
