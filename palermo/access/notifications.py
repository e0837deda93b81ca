"""Notice of an emergency (break-glass) access, by email, sent by the task worker after the grant is committed
(`send_break_glass_notice`, enqueued with the grant's id only: no personal data in task arguments).

Who is told: the case managers on the case team and the data protection officers of the lead agency. What
they are told: the case reference, who opened it (their name, role and agency) and until when. Never the
reason typed (free text may name someone) nor anything about the person the case is about.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django_tasks import task

from palermo.access.models import BreakGlassGrant, CaseTeamMember
from palermo.accounts.models import Membership
from palermo.accounts.notice_kinds import notice_kind
from palermo.accounts.roles import Role
from palermo.accounts.services.notices import notices_send
from palermo.core.links import open_it

logger = logging.getLogger(__name__)


BREAK_GLASS_NOTICE = notice_kind(
    "break_glass", gettext_lazy("Emergency (break-glass) access was opened to case %(reference)s.")
)


def recipient_memberships(grant: BreakGlassGrant) -> QuerySet[Membership]:
    """Whom to tell: case managers on the team, the lead agency's data protection officers (active)."""
    case = grant.case
    active = CaseTeamMember.objects.filter(
        case=case, removed_at__isnull=True, agency_id=OuterRef("agency_id")
    )
    on_team = Exists(active.filter(user__isnull=True)) | Exists(active.filter(user_id=OuterRef("user_id")))
    case_managers = Q(role=Role.CASE_MANAGER) & Q(on_team)
    lead_dpos = Q(role=Role.DATA_PROTECTION_OFFICER, agency_id=case.lead_agency_id)
    return Membership.objects.filter(
        case_managers | lead_dpos, is_active=True, agency__is_active=True
    ).filter(user__is_active=True)


def recipients(grant: BreakGlassGrant) -> list[str]:
    """The addresses to tell, each once, sorted."""
    addresses = recipient_memberships(grant).exclude(user__email="").values_list("user__email", flat=True)
    return sorted(set(addresses))


def message(grant: BreakGlassGrant) -> tuple[str, str]:
    """Subject and body, in the deployment's language."""
    membership = grant.membership
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Emergency access to case %(reference)s") % {"reference": grant.case.reference}
        body = gettext(
            "%(username)s, acting as %(role)s for %(agency)s, opened emergency (break-glass) access to case "
            "%(reference)s at %(granted)s. The access ends at %(expires)s.\n\n"
            "The reason given is in Palermo, with the grant, for the data protection officer's review."
        ) % {
            # The placeholder keeps its name (the catalogue's translations stay); it holds the display name.
            "username": membership.user.display_name,
            "role": membership.get_role_display(),
            "agency": membership.agency.name,
            "reference": grant.case.reference,
            "granted": grant.granted_at.isoformat(timespec="minutes"),
            "expires": grant.expires_at.isoformat(timespec="minutes"),
        }
        body += "\n\n" + open_it("cases:detail", grant.case.reference)
    return subject, body


def notify_break_glass(grant_id: int) -> int:
    """Send the notice for one grant to each recipient separately (no one sees the others' addresses).
    Returns how many were sent. A mail failure is logged by grant id and does not undo the access."""
    grant = BreakGlassGrant.objects.select_related("case", "membership__user", "membership__agency").get(
        pk=grant_id
    )
    subject, body = message(grant)
    notices_send(
        user_ids=recipient_memberships(grant).values_list("user_id", flat=True),
        kind=BREAK_GLASS_NOTICE,
        reference=grant.case.reference,
        path=reverse("cases:detail", args=[grant.case.reference]),
        email=False,  # the email below says more (who, until when)
    )
    sent = 0
    for address in recipients(grant):
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except (SMTPException, OSError):
            logger.warning("break-glass notice for grant %s could not be sent to one recipient", grant_id)
    return sent


@task()
def send_break_glass_notice(grant_id: int) -> int:
    """The worker's side of `notify_break_glass`: the task `break_glass_open` enqueues once it commits."""
    return notify_break_glass(grant_id)
