"""The entitlements a reflection period opens, each due a number of days after its first day (the rulebook's
`entitlements.<kind>_days`), each a deadline until it is provided, declined by the person, or not needed.

Each deadline belongs to the agency whose duty the entitlement is: the case team's agency of the rulebook's
`entitlements.<kind>_owner` type, else the lead agency (palermo.access.duties). When the team or the lead
changes, the open deadlines follow (`entitlement_owners_refresh`, registered with the team services).

A status is case metadata (T1); a note on it is narrative (T4): whoever records a note must be allowed to
write T4 on the case, and a status recorded without a note leaves an earlier note as it was. The assistance
area tells of a service delivered (a stay in safe accommodation begun, a referral completed) through
palermo.cases.provided, and `entitlement_from_service` marks the entitlement provided.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from palermo.access.duties import duty_agencies, duty_agency
from palermo.access.policy import can_write, require
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import Case, EventKind
from palermo.cases.provided import ServiceProvided
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import lock_for_edit
from palermo.core.days import clean_past_day, end_of_day
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.core.transitions import Lifecycle, moves
from palermo.deadlines.services import (
    add_deadlines,
    complete_deadlines,
    reassign_deadlines,
    set_deadline_on,
)
from palermo.reflection.models import Entitlement, EntitlementKind, EntitlementStatus, ReflectionPeriod
from palermo.reflection.services.common import (
    clean_reason,
    may_record_entitlements,
)

KIND_PREFIX = "reflection.entitlement."
# An entitlement's status as the timeline's sentence says it ("Entitlement: Medical care, provided").
STATUS_IN_A_SENTENCE = {
    EntitlementStatus.DUE: pgettext_lazy("entitlement status in a sentence", "due"),
    EntitlementStatus.PROVIDED: pgettext_lazy("entitlement status in a sentence", "provided"),
    EntitlementStatus.DECLINED: pgettext_lazy("entitlement status in a sentence", "declined by the person"),
    EntitlementStatus.NOT_NEEDED: pgettext_lazy("entitlement status in a sentence", "not needed"),
}
CHANGED = Entry(
    gettext_noop("Entitlement: %(entitlement)s, %(status)s"),
    "reflection.entitlement",
    Tier.METADATA,
    EventKind.ENTITLEMENT,
)


# The one transition table of an entitlement: its status is a record of fact, corrected freely (provided
# may turn out declined, a declined entitlement may be wanted after all), so every status may follow any.
LIFECYCLE = Lifecycle(
    noun=_("entitlement"),
    statuses=EntitlementStatus,
    transitions=moves({status: set(EntitlementStatus) for status in EntitlementStatus}),
)


def deadline_kind(kind: EntitlementKind | str) -> str:
    return f"{KIND_PREFIX}{kind}"


def due_days(kind: EntitlementKind | str) -> int:
    return int(getattr(rulebook().entitlements, f"{kind}_days"))


def owner_type(kind: EntitlementKind | str) -> str:
    """The type of agency whose duty this entitlement is (the rulebook's `entitlements.<kind>_owner`)."""
    return str(getattr(rulebook().entitlements, f"{kind}_owner"))


def owner_of(case: Case, kind: EntitlementKind | str) -> Agency:
    """The agency whose duty this entitlement is on this case: the team's agency of the owner type, else the
    lead agency."""
    return duty_agency(case, owner_type(kind))


def entitlement_owners_refresh(case: Case) -> int:
    """After a change of the case team or its lead: each open entitlement deadline goes to the agency whose
    duty it now is (one query for the owners, one update per owner). Returns how many moved."""
    types = {kind: owner_type(kind) for kind in EntitlementKind}
    owners = duty_agencies(case, types.values())
    moved = 0
    for agency_type, agency in owners.items():
        kinds = [deadline_kind(kind) for kind, owner in types.items() if owner == agency_type]
        moved += reassign_deadlines(case, kinds, agency)
    return moved


def entitlements_open(period: ReflectionPeriod) -> list[Entitlement]:
    """Every entitlement of a new period, due by the rulebook, with its deadline (inside the opening): the
    owners in one query, the deadlines in one insert."""
    case = period.case
    owners = duty_agencies(case, {owner_type(kind) for kind in EntitlementKind})
    made = [
        Entitlement.objects.create(
            period=period, kind=kind, due_on=add_days(period.starts_on, due_days(kind))
        )
        for kind in EntitlementKind
    ]
    add_deadlines(
        case,
        (
            (
                entitlement,
                deadline_kind(entitlement.kind),
                end_of_day(entitlement.due_on),
                owners[owner_type(entitlement.kind)],
            )
            for entitlement in made
        ),
    )
    return made


def _clean_day(status: str, on: datetime.date | None, case: Case) -> datetime.date | None:
    if status == EntitlementStatus.DUE:
        return None
    return clean_past_day(on, referred_on=timezone.localdate(case.opened_at))


def _apply(
    *,
    actor: User,
    membership: Membership,
    entitlement: Entitlement,
    status: str,
    on: datetime.date | None,
    note: str | None,
) -> Entitlement:
    """Write a new status on a locked entitlement, with its deadline, timeline entry and audit event."""
    case = entitlement.period.case
    fields = [*LIFECYCLE.apply(entitlement, status), "status_on", "updated_by", "updated_at"]
    entitlement.status_on = on
    entitlement.updated_by, entitlement.updated_at = actor, timezone.now()
    if note is not None:
        entitlement.note = note
        fields.append("note")
    entitlement.save(update_fields=fields)
    if status == EntitlementStatus.DUE:
        set_deadline_on(
            entitlement.due_on,
            case=case,
            kind=deadline_kind(entitlement.kind),
            source=entitlement,
            agency=owner_of(case, entitlement.kind),
        )
    else:
        complete_deadlines(entitlement, deadline_kind(entitlement.kind))
    values = {
        "entitlement": EntitlementKind(entitlement.kind).label,
        "status": STATUS_IN_A_SENTENCE[EntitlementStatus(status)],
    }
    audit_tier = Tier.NARRATIVE if note is not None else Tier.METADATA
    record_entry(
        CHANGED,
        entitlement,
        actor=actor,
        membership=membership,
        case=case,
        audit_tier=audit_tier,
        values=values,
    )
    return entitlement


@transaction.atomic
def entitlement_update(
    *,
    actor: User,
    membership: Membership,
    entitlement: Entitlement,
    status: str,
    on: datetime.date | None = None,
    note: str | None = None,
    expected_version: int,
) -> Entitlement:
    """Record an entitlement's status (and the day, for all but "due"). `note` None keeps the note; a text
    replaces it and needs T4. Raises StaleEdit when someone saved the entitlement first."""
    case = entitlement.period.case
    require(may_record_entitlements(membership, case), "this membership may not record entitlements here")
    if status not in EntitlementStatus.values:
        raise ValidationError(_("Choose a status."), code="status")
    if note is not None:
        require(can_write(membership, case, Tier.NARRATIVE), "a note on an entitlement is T4")
        note = clean_reason(note, required=False)
    on = _clean_day(status, on, case)
    locked = lock_for_edit(Entitlement, pk=entitlement.pk, expected_version=expected_version)
    locked.period = entitlement.period
    return _apply(actor=actor, membership=membership, entitlement=locked, status=status, on=on, note=note)


def entitlement_from_service(event: ServiceProvided) -> Entitlement | None:
    """The case record's hook of a service given (registered when ready): a service that is an entitlement
    of the period (a stay in safe accommodation, legal information...) marks it provided."""
    if event.kind not in EntitlementKind.values:
        return None
    return entitlement_provided(
        event.case, event.kind, actor=event.actor, membership=event.membership, when=event.when
    )


@transaction.atomic
def entitlement_provided(
    case: Case,
    kind: EntitlementKind | str,
    *,
    actor: User,
    membership: Membership,
    when: datetime.date | datetime.datetime | None = None,
) -> Entitlement | None:
    """For other areas (assistance): the service behind this entitlement was delivered on `when` (default
    today). None when the case has no reflection period; an entitlement already provided stays as it is.
    Raises PermissionDenied when the membership may not record entitlements on the case, ValidationError for
    a day in the future or before the referral."""
    require(may_record_entitlements(membership, case), "this membership may not record entitlements here")
    if kind not in EntitlementKind.values:
        raise ValueError(f"unknown entitlement {kind!r}")
    day = timezone.localdate(when) if isinstance(when, datetime.datetime) else when
    found = (
        Entitlement.objects.select_for_update(of=("self",))
        .filter(period__case=case, kind=kind)
        .select_related("period__case__lead_agency")
        .first()
    )
    if found is None or found.status == EntitlementStatus.PROVIDED:
        return found
    on = _clean_day(EntitlementStatus.PROVIDED, day, case)
    return _apply(
        actor=actor,
        membership=membership,
        entitlement=found,
        status=EntitlementStatus.PROVIDED,
        on=on,
        note=None,
    )
