"""Who acts for a child before a guardian is appointed: the temporary representative.

The referral of a child is a protection duty and needs no one's consent (palermo.cases.services.intake).
What comes after it (sharing the record, services) needs consent: the guardian's once one is appointed
(palermo.children), and in the meantime a temporary representative's, recorded here as such (who, for which
organisation, since when), with the child's own views recorded on each consent they give
(palermo.cases.services.consent). Appointing a guardian ends the representation; until then the case page
and the API say who acts for the child, or that no one does yet.

Whether a guardian is appointed is the children area's fact (above cases): it registers `guardian_of` here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, EventKind, TemporaryRepresentative
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.registry import Registry

MAX_NAME = 200
# Who gives consent for a child is a consent entry on the case's timeline (case metadata).
REPRESENTATIVE_RECORDED = Entry(
    gettext_noop("Temporary representative recorded"),
    "representative.record",
    Tier.METADATA,
    EventKind.CONSENT,
    "temporary_representative",
)
REPRESENTATIVE_ENDED = REPRESENTATIVE_RECORDED._replace(
    summary=gettext_noop("Temporary representative no longer acts"), action="representative.end"
)

# Whether a case has an active guardian: registered by the children area (one entry).
GuardianReader = Callable[[Case], bool]
_guardian_readers: Registry[GuardianReader] = Registry()
register_guardian_reader = _guardian_readers.add


def has_guardian(case: Case) -> bool:
    return any(reader(case) for reader in _guardian_readers)


def active_representative(case: Case) -> TemporaryRepresentative | None:
    return TemporaryRepresentative.objects.filter(case=case, ended_at__isnull=True).first()


def may_record_representative(membership: Membership, case: Case) -> bool:
    # The representative's name is identity (T2), written as consent is: by those who may write T2.
    return can_write(membership, case, Tier.IDENTITY)


def temporary_representative_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    name: str,
    organisation: str,
    since: datetime.date,
) -> TemporaryRepresentative:
    """Record who acts for the child until a guardian is appointed; replaces the one acting so far."""
    if not may_record_representative(membership, case):
        raise PermissionDenied("this membership may not record a representative on this case")
    if not case_is_child(case):
        raise ValidationError(_("Only a child's case has a temporary representative."), code="not_child")
    if has_guardian(case):
        raise ValidationError(
            _("A guardian is appointed: the guardian acts for the child."), code="guardian_appointed"
        )
    name, organisation = (name or "").strip(), (organisation or "").strip()
    errors: dict[str, object] = {}
    if not name:
        errors["name"] = _("Give the representative's name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("At most %(limit)d characters.") % {"limit": MAX_NAME}
    if not organisation:
        errors["organisation"] = _("Give the organisation the representative acts for.")
    elif len(organisation) > MAX_NAME:
        errors["organisation"] = _("At most %(limit)d characters.") % {"limit": MAX_NAME}
    if since is None or since > timezone.localdate():
        errors["since"] = _("Give the day they began to act, today or earlier.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        _end_active(actor=actor, membership=membership, case=case)
        representative = TemporaryRepresentative(
            case=case, name=name, organisation=organisation, since=since, recorded_by=actor
        )
        representative.save()
        record_entry(
            REPRESENTATIVE_RECORDED,
            representative,
            actor=actor,
            membership=membership,
            audit_tier=Tier.IDENTITY,
        )
    return representative


def _end_active(
    *, actor: User | None, membership: Membership | None, case: Case
) -> TemporaryRepresentative | None:
    current = (
        TemporaryRepresentative.objects.select_for_update().filter(case=case, ended_at__isnull=True).first()
    )
    if current is None:
        return None
    current.ended_at, current.ended_by = timezone.now(), actor
    current.save(update_fields=["ended_at", "ended_by"])
    record_entry(REPRESENTATIVE_ENDED, current, actor=actor, membership=membership, case=case)
    return current


def temporary_representative_end(
    *, actor: User, membership: Membership, case: Case, check_access: bool = True
) -> TemporaryRepresentative | None:
    """End the active representation (a guardian was appointed, or they no longer act). `check_access=False`
    only for a service that has decided the actor may (the guardian's appointment). None: no one acted."""
    if check_access and not may_record_representative(membership, case):
        raise PermissionDenied("this membership may not end a representation on this case")
    with transaction.atomic():
        return _end_active(actor=actor, membership=membership, case=case)
