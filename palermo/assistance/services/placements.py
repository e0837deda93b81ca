"""Placements in safe accommodation, counted against the service's places.

Starting a placement locks the accommodation's directory row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers), counts the stays in progress and refuses when every place is taken,
so two case workers placing at the same moment cannot overfill a shelter. A case has at most one stay in
progress (a database constraint). The address is where the person is: location (T3), encrypted, and writing
it takes write access to location on the case. A stay begun marks the reflection period's safe accommodation
entitlement provided (palermo.cases.provided).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.assistance.models import Placement, PlacementEnd, ProviderService, Referral, ServiceKind
from palermo.assistance.services.locking import lock_final
from palermo.cases.models import Case, EventKind
from palermo.cases.provided import ServiceProvided, service_provided
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import already_saved, bump_version

MAX_ADDRESS = 1000
# The timeline entry (T1: that the person moved in or out) and the audit event (T3: the place).
PLACED = Entry(
    gettext_noop("Placed in safe accommodation"),
    "placement.start",
    Tier.METADATA,
    EventKind.ACCOMMODATION,
    audit_tier=Tier.LOCATION,
)
PLACEMENT_ENDED = PLACED._replace(
    summary=gettext_noop("Stay in safe accommodation ended"), action="placement.end"
)


class AccommodationFull(ValidationError):
    """Every place of the accommodation is taken."""


def may_place(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.LOCATION)


def places_taken(service: ProviderService) -> int:
    return Placement.objects.filter(service=service, ended_at__isnull=True).count()


def placement_start(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    service: ProviderService,
    address: str = "",
    referral: Referral | None = None,
) -> Placement:
    if not may_place(membership, case):
        raise PermissionDenied("this membership may not record where the person stays")
    if service.kind != ServiceKind.SAFE_ACCOMMODATION:
        raise ValidationError({"service": _("Choose a safe accommodation service.")})
    address = (address or "").strip()
    if len(address) > MAX_ADDRESS:
        raise ValidationError({"address": _("At most %(limit)d characters.") % {"limit": MAX_ADDRESS}})
    if referral is not None and (referral.case_id != case.pk or referral.service_id != service.pk):
        raise ValidationError({"referral": _("That referral is not to this accommodation for this case.")})
    with transaction.atomic():
        locked = ProviderService.objects.select_for_update().get(pk=service.pk)
        if not locked.is_active:
            raise ValidationError({"service": _("This service is not active.")})
        staying = Placement.objects.filter(case=case, ended_at__isnull=True).first()
        if staying is not None and already_saved(staying, {"service": locked, "address": address}):
            return staying  # the same stay sent twice: started already
        if staying is not None:
            raise ValidationError(_("The person already has a stay in progress: end it first."))
        if places_taken(locked) >= (locked.capacity or 0):
            raise AccommodationFull({"service": _("Every place of this accommodation is taken.")})
        placement = Placement(
            case=case,
            service=locked,
            referral=referral,
            address=address,
            started_at=timezone.now(),
            placed_by=actor,
        )
        try:
            with transaction.atomic():
                placement.save()
        except IntegrityError as error:  # a stay started for the same case in between
            raise ValidationError(_("The person already has a stay in progress: end it first.")) from error
        record_entry(PLACED, placement, actor=actor, membership=membership)
        # A place in safe accommodation is that entitlement of the reflection period provided.
        service_provided(ServiceProvided(case=case, kind=locked.kind, actor=actor, membership=membership))
    return placement


def placement_end(
    *, actor: User, membership: Membership, placement: Placement, reason: str, expected_version: int
) -> Placement:
    if not may_place(membership, placement.case):
        raise PermissionDenied("this membership may not record where the person stays")
    if reason not in PlacementEnd.values:
        raise ValidationError({"reason": _("Say why the stay ended.")})
    with transaction.atomic():
        locked, done = lock_final(
            Placement,
            placement,
            expected_version=expected_version,
            done=lambda held: held.ended_at is not None and held.end_reason == reason,
        )
        if done:
            return locked
        if locked.ended_at is not None:
            raise ValidationError(_("This stay has already ended."))
        locked.ended_at, locked.end_reason, locked.ended_by = timezone.now(), reason, actor
        bump_version(locked)
        locked.save(update_fields=["ended_at", "end_reason", "ended_by", "version"])
        record_entry(PLACEMENT_ENDED, locked, actor=actor, membership=membership)
    return locked
