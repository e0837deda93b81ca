"""Guardianship: an independent guardian, from a guardianship service, is appointed for every child within
the rulebook's `children.guardian_appointment_days` of the referral; the appointment deadline shows on the
deadline screens until it is done. The guardian joins the case team (and so reads the child's whole record,
as the access matrix says for a guardian on a child's case), gives consent on the child's behalf through the
case's consent records, and is told of every decision (palermo.children.notifications).

Appointing and ending change the case team, so they are for those who may manage the team.
"""

from __future__ import annotations

import contextlib
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access import policy
from palermo.access.services import active_team_entry, case_team_add, case_team_remove
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import AgencyType, Role
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, EventKind
from palermo.cases.services.representation import temporary_representative_end
from palermo.cases.services.timeline import Entry, record_entry
from palermo.children.models import Guardianship, GuardianshipEnd
from palermo.children.services.common import require_child_case
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.deadlines.services import complete_deadlines, set_deadline, source_key

APPOINTMENT_KIND = "children.guardian_appointment"
GUARDIAN_APPOINTED = Entry(
    gettext_noop("Guardian appointed"), "guardianship.appoint", Tier.METADATA, EventKind.GUARDIANSHIP
)
GUARDIAN_ENDED = Entry(
    gettext_noop("Guardianship ended"), "guardianship.end", Tier.METADATA, EventKind.GUARDIANSHIP
)
TEAM_REASON = "Guardian of the child"


def appointment_due(start: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(start) + datetime.timedelta(days=rulebook().children.guardian_appointment_days)


def open_child_deadlines(case: Case) -> Deadline | None:
    """The guardian appointment deadline of a child's case, counted from its opening; created once (an
    existing one, open or done, is left as it is), never for an adult's case or one that had a guardian."""
    if not case_is_child(case):
        return None
    source_type, source_id = source_key(case)
    existing = Deadline.objects.filter(
        source_type=source_type, source_id=source_id, kind=APPOINTMENT_KIND
    ).first()
    if existing is not None or Guardianship.objects.filter(case=case).exists():
        return existing
    return set_deadline(
        case=case,
        kind=APPOINTMENT_KIND,
        due_at=appointment_due(case.opened_at),
        source=case,
        agency=case.lead_agency,
    )


def has_active_guardian(case: Case) -> bool:
    return Guardianship.objects.filter(case=case, ended_at__isnull=True).exists()


def may_appoint_guardian(membership: Membership, case: Case) -> bool:
    return policy.can_manage_team(membership, case)


def guardian_candidates() -> list[Membership]:
    """Active guardians of active guardianship services, by agency and name."""
    return list(
        Membership.objects.filter(
            role=Role.GUARDIAN,
            is_active=True,
            agency__type=AgencyType.GUARDIANSHIP,
            agency__is_active=True,
            user__is_active=True,
        )
        .select_related("user", "agency")
        .order_by("agency__name", "user__last_name", "user__username")
    )


def _check_guardian(guardian: User, agency: Agency) -> None:
    if agency.type != AgencyType.GUARDIANSHIP or not agency.is_active:
        raise ValidationError({"agency": _("Choose an active guardianship service.")})
    is_guardian = Membership.objects.filter(
        user=guardian, agency=agency, role=Role.GUARDIAN, is_active=True, user__is_active=True
    ).exists()
    if not is_guardian:
        raise ValidationError({"guardian": _("This person is not a guardian of that guardianship service.")})


def _join_team(*, actor: User, membership: Membership, case: Case, guardian: User, agency: Agency) -> None:
    """The guardian named on the case team, unless they already are: named even where their whole service is
    on it, so the child's deadlines are on the guardian's own list and in their reminder."""
    if active_team_entry(case, agency, guardian) is not None:
        return
    case_team_add(
        actor=actor, membership=membership, case=case, agency=agency, user=guardian, reason=TEAM_REASON
    )


def _complete_appointment_deadlines(case: Case) -> None:
    complete_deadlines(case, APPOINTMENT_KIND)
    for earlier in Guardianship.objects.filter(case=case, ended_at__isnull=False):
        complete_deadlines(earlier, APPOINTMENT_KIND)


def guardian_appoint(
    *, actor: User, membership: Membership, case: Case, guardian: User, agency: Agency
) -> Guardianship:
    """Appoint the child's guardian; they join the case team and the appointment deadline is done."""
    require_child_case(case)
    if not may_appoint_guardian(membership, case):
        raise PermissionDenied("this membership may not appoint a guardian on this case")
    _check_guardian(guardian, agency)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # one appointment at a time per case
        if Guardianship.objects.filter(case=case, ended_at__isnull=True).exists():
            raise ValidationError(
                _("The child already has a guardian: end that guardianship or replace the guardian.")
            )
        guardianship = Guardianship.objects.create(
            case=case, guardian=guardian, agency=agency, appointed_at=timezone.now(), appointed_by=actor
        )
        _join_team(actor=actor, membership=membership, case=case, guardian=guardian, agency=agency)
        # From now on the guardian acts for the child: a temporary representative no longer does.
        temporary_representative_end(actor=actor, membership=membership, case=case, check_access=False)
        _complete_appointment_deadlines(case)
        record_entry(GUARDIAN_APPOINTED, guardianship, actor=actor, membership=membership, case=case)
    return guardianship


def _leave_team(*, actor: User, membership: Membership, guardianship: Guardianship) -> None:
    """Take the guardian's own team entry off (the service's entry, if any, stays); a case keeps one."""
    if active_team_entry(guardianship.case, guardianship.agency, guardianship.guardian) is None:
        return
    with contextlib.suppress(ValidationError):  # the last team member stays until someone else joins
        case_team_remove(
            actor=actor,
            membership=membership,
            case=guardianship.case,
            agency=guardianship.agency,
            user=guardianship.guardian,
            reason="Guardianship ended",
        )


def guardian_end(
    *, actor: User, membership: Membership, guardianship: Guardianship, reason: str
) -> Guardianship:
    """End a guardianship. While the case is a child's (and not closed), a new guardian is due within the
    rulebook's appointment days, so the deadline screen flags the gap."""
    case = guardianship.case
    if not may_appoint_guardian(membership, case):
        raise PermissionDenied("this membership may not end a guardianship on this case")
    if reason not in GuardianshipEnd.values:
        raise ValidationError({"reason": _("Say why the guardianship ends.")})
    with transaction.atomic():
        locked = Guardianship.objects.select_for_update().get(pk=guardianship.pk)
        if locked.ended_at is not None:
            raise ValidationError(_("This guardianship has already ended."))
        locked.ended_at, locked.ended_by, locked.ended_because = timezone.now(), actor, reason
        locked.save(update_fields=["ended_at", "ended_by", "ended_because"])
        _leave_team(actor=actor, membership=membership, guardianship=locked)
        if reason in (GuardianshipEnd.REPLACED, GuardianshipEnd.OTHER) and case_is_child(case):
            set_deadline(
                case=case,
                kind=APPOINTMENT_KIND,
                due_at=appointment_due(locked.ended_at),
                source=locked,
                agency=case.lead_agency,
            )
        record_entry(GUARDIAN_ENDED, locked, actor=actor, membership=membership, case=case)
    return locked


def guardian_replace(
    *, actor: User, membership: Membership, case: Case, guardian: User, agency: Agency
) -> Guardianship:
    """End the current guardianship (replaced) and appoint the new guardian, all or nothing."""
    with transaction.atomic():
        current = Guardianship.objects.filter(case=case, ended_at__isnull=True).first()
        if current is not None:
            if current.guardian_id == guardian.pk and current.agency_id == agency.pk:
                raise ValidationError({"guardian": _("This person is already the child's guardian.")})
            _check_guardian(guardian, agency)
            guardian_end(
                actor=actor, membership=membership, guardianship=current, reason=GuardianshipEnd.REPLACED
            )
        return guardian_appoint(
            actor=actor, membership=membership, case=case, guardian=guardian, agency=agency
        )
