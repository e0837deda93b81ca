"""Handing the lead of a case to another agency, with a reason: the lead agency decides who sees the case
(the access matrix's same-agency standing) and answers for the work no one else on the team has
(palermo.access.duties), so a transfer is on the timeline and the audit record, and the new lead's members
are told.

Only a member of the lead agency who manages the case team may do it (palermo.access.policy's
`can_transfer_lead`); the new lead joins the team as a whole when it is not on it; the former lead stays on
the team (someone who manages the team takes it off if it should go). The case's version guards against a
concurrent change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access import policy
from palermo.access.notifications import LEAD, send_team_notice
from palermo.access.services import case_team_join_as_lead
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import Case, EventKind, LeadTransfer
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.text import checked_text, in_record_language

REASON_MAX = 500
LEAD_TRANSFERRED = gettext_noop("Lead agency: %(from)s handed the case to %(to)s")
# The lead agency is case metadata, on the case's header: a T1 entry.
TRANSFERRED = Entry(LEAD_TRANSFERRED, "case.lead_transfer", Tier.METADATA, EventKind.TEAM, "lead_transfer")
JOINED_AS_LEAD = gettext_noop("Joined as the case's lead agency")


def lead_candidates(case: Case) -> list[Agency]:
    """The agencies the lead may go to: every active agency but the current lead, by name."""
    return list(Agency.objects.filter(is_active=True).exclude(pk=case.lead_agency_id).order_by("name", "pk"))


def _clean_reason(reason: str) -> str:
    too_long = _("Keep the reason under %(maximum)d characters.")
    missing = _("Give the reason.")
    return checked_text(reason, limit=REASON_MAX, missing=missing, too_long=too_long, field="reason")


def _clean_agency(case: Case, agency: Agency | None) -> Agency:
    if agency is None or not agency.is_active:
        raise ValidationError({"agency": _("Choose an active agency.")}, code="agency_inactive")
    if agency.pk == case.lead_agency_id:
        raise ValidationError({"agency": _("This agency already leads the case.")}, code="already_lead")
    return agency


@transaction.atomic
def case_lead_transfer(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    agency: Agency | None,
    reason: str,
    expected_version: int,
) -> Case:
    """Hand the case's lead to `agency`, with a reason (kept encrypted with the transfer). Raises
    PermissionDenied (not this membership's to hand on: 404 at both doors), ValidationError, or StaleEdit."""
    if membership.user_id != actor.pk or not policy.can_transfer_lead(membership, case):
        raise PermissionDenied("this membership may not hand on this case's lead")
    reason = _clean_reason(reason)
    agency = _clean_agency(case, agency)
    locked = lock_for_edit(Case, pk=case.pk, expected_version=expected_version)
    if locked.lead_agency_id != membership.agency_id:
        raise PermissionDenied("the lead changed hands meanwhile")
    former = locked.lead_agency
    now = timezone.now()
    transfer = LeadTransfer.objects.create(
        case=locked,
        from_agency=former,
        to_agency=agency,
        reason=reason,
        transferred_by=actor,
        transferred_at=now,
    )
    locked.lead_agency = agency
    bump_version(locked)
    locked.save(update_fields=["lead_agency", "version"])
    case_team_join_as_lead(actor=actor, case=locked, reason=in_record_language(JOINED_AS_LEAD))
    values = {"from": former.name, "to": agency.name}
    record_entry(TRANSFERRED, transfer, actor=actor, membership=membership, case=locked, values=values)
    case_id, agency_id = locked.pk, agency.pk
    transaction.on_commit(lambda: send_team_notice.enqueue(case_id, agency_id, LEAD))
    return locked
