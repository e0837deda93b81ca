"""Writes of contact requests: one left on the public portal, one picked up by a duty worker, one lapsed.

Leaving one takes no actor (no one is signed in) and keeps only the channel, the contact (encrypted), the
language and the region chosen. It goes to the duty agency: the active agency of the rulebook's
`portal.contact_agency_type` in that region, else a national one (`palermo.access.routing.agency_in_region`,
the routing rule of decision 0029); none, and the request is refused so the person calls a service instead.
The duty agency's case workers who refer (`DUTY_ROLES`) are told by a notice; nobody else. A request not
picked up within `portal.contact_expiry_days` lapses (the `contact_request_lapse` task, enqueued for that
time): its contact details are erased.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from palermo.access.routing import agency_in_region
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.services.notices import notices_send
from palermo.audit.services import audit_record
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.rulebooks import rulebook
from palermo.portal import content
from palermo.portal.models import Channel, ContactRequest, ContactStatus
from palermo.portal.notices import CONTACT_NOTICE

# Who has the duty to act on a contact request: the duty agency's members who refer (they make the referral
# once the person agrees). No other role, and no other agency, ever sees one.
DUTY_ROLES = INTAKE_ROLES
OBJECT_TYPE = "contact_request"
MAX_CONTACT = 200
MAX_MEETING = 300


def _audit(
    action: str, request_id: int, *, actor: User | None = None, membership: Membership | None = None
) -> None:
    """The request's event on the audit log: its number, never how to reach anyone."""
    audit_record(
        actor=actor,
        membership=membership,
        action=action,
        tier=int(Tier.METADATA),
        object_type=OBJECT_TYPE,
        object_id=str(request_id),
    )


def has_duty(membership: Membership) -> bool:
    return membership.role in DUTY_ROLES and membership.is_active


def duty_members(agency_id: int) -> list[int]:
    """The accounts told of a new request: active members of the agency in a duty role."""
    return list(
        Membership.objects.filter(
            agency_id=agency_id, role__in=DUTY_ROLES, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def clean_request(*, channel: str, contact: str, meeting: str) -> tuple[str, str]:
    """The contact and the meeting place and time, checked for the channel chosen (ValidationError by
    field)."""
    contact, meeting = contact.strip()[:MAX_CONTACT], meeting.strip()[:MAX_MEETING]
    if channel not in Channel.values:
        raise ValidationError({"channel": content.NO_CHANNEL})
    if channel == Channel.MEETING:
        if not meeting:
            raise ValidationError({"meeting": content.NO_MEETING})
        return contact, meeting
    if not contact:
        raise ValidationError({"contact": content.NO_CONTACT})
    return contact, ""


def contact_request_leave(
    *, channel: str, contact: str, meeting: str, language: str, region: str
) -> ContactRequest:
    """Leave a contact request for the duty agency of `region`; ValidationError when no agency can take it."""
    contact, meeting = clean_request(channel=channel, contact=contact, meeting=meeting)
    portal = rulebook().portal
    agency = agency_in_region(portal.contact_agency_type, region)
    if agency is None:
        raise ValidationError(content.UNAVAILABLE, code="no_duty_agency")
    now = timezone.now()
    with transaction.atomic():
        request = ContactRequest(
            agency=agency,
            channel=channel,
            contact=contact,
            meeting=meeting,
            language=language[:10],
            region=agency.region if region.strip() else "",
            expires_at=now + datetime.timedelta(days=portal.contact_expiry_days),
        )
        request.save()
        _audit("portal.contact_request", request.pk)
        notices_send(
            user_ids=duty_members(agency.pk),
            kind=CONTACT_NOTICE,
            reference=str(request.pk),
            path=reverse("portal_staff:detail", args=[request.pk]),
        )
        pk, expires_at = request.pk, request.expires_at
        transaction.on_commit(lambda: contact_request_lapse.using(run_after=expires_at).enqueue(pk))
    return request


def contact_request_pick_up(
    *, actor: User, membership: Membership, request: ContactRequest, expected_version: int
) -> ContactRequest:
    """A duty worker takes the request on: it leaves the list of the others. Refused past its time or once
    taken (ValidationError), outside the duty (PermissionDenied), when stale (StaleEdit)."""
    if (
        not has_duty(membership)
        or membership.user_id != actor.pk
        or request.agency_id != membership.agency_id
    ):
        raise PermissionDenied("no duty to act on this request")
    with transaction.atomic():
        locked = lock_for_edit(ContactRequest, pk=request.pk, expected_version=expected_version)
        if locked.status != ContactStatus.WAITING or locked.expires_at <= timezone.now():
            raise ValidationError("This request is no longer waiting.", code="not_waiting")
        locked.status, locked.picked_up_by, locked.picked_up_at = (
            ContactStatus.PICKED_UP,
            actor,
            timezone.now(),
        )
        bump_version(locked)
        locked.save(update_fields=["status", "picked_up_by", "picked_up_at", "version"])
        _audit("portal.contact_pick_up", locked.pk, actor=actor, membership=membership)
    return locked


@task()
def contact_request_lapse(request_id: int) -> int:
    """Lapse a request not picked up by its time, and erase its contact details; 0 when it was picked up or
    is not due yet (a request lapses once)."""
    with transaction.atomic():
        found = ContactRequest.objects.select_for_update().filter(
            pk=request_id, status=ContactStatus.WAITING, expires_at__lte=timezone.now()
        )
        request = found.first()
        if request is None:
            return 0
        request.status, request.contact, request.meeting = ContactStatus.EXPIRED, "", ""
        bump_version(request)
        request.save(update_fields=["status", "contact", "meeting", "version"])
        _audit("portal.contact_lapse", request.pk)
    return 1
