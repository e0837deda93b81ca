"""Notice of an emergency (break-glass) access, and of an agency put on a case by the routing rules or handed
its lead (`send_team_notice`, with the case's and the agency's ids and a code: the reference and the agency's
name only, in each member's language).

Notice of an emergency (break-glass) access, by email, sent by the task worker after the grant is committed
(`send_break_glass_notice`, enqueued with the grant's id only: no personal data in task arguments).

Who is told: the case managers on the case team and the data protection officers of the lead agency. What
they are told: the case reference, who opened it (their name, role and agency) and until when. Never the
reason typed (free text may name someone) nor anything about the person the case is about.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django_tasks import task

from palermo.access.models import BreakGlassGrant, CaseTeamMember, case_model
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.notice_kinds import notice_kind
from palermo.accounts.roles import CASE_WORKERS, Role
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


# --- an agency put on a case by the routing rules, or handed its lead ---

# What the notice is about: a code, never free text (task arguments hold no personal data).
JOINED, LEAD = "joined", "lead"
# What the agency's case workers read in the app, beside the email (docs/decisions/0033).
TEAM_NOTICES = {
    JOINED: notice_kind(
        "case_team_joined", gettext_lazy("Your agency was added to the team of case %(reference)s.")
    ),
    LEAD: notice_kind("case_lead", gettext_lazy("Your agency now leads case %(reference)s.")),
}


def agency_recipients(agency_id: int, roles: Collection[str] = CASE_WORKERS) -> list[User]:
    """The agency's active case workers (or members in `roles`), each once: all read the notice in the app,
    those with an address get the email too."""
    return list(
        User.objects.filter(
            memberships__agency_id=agency_id,
            memberships__agency__is_active=True,
            memberships__role__in=roles,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def team_message(user: User, reference: str, agency: str, about: str) -> EmailMessage:
    """The email to one member, in their language: the case reference, their agency, what happened and where
    to open the case; nothing about the person the case is about."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        values = {"reference": reference, "agency": agency}
        if about == LEAD:
            subject = gettext("Your agency now leads case %(reference)s") % values
            body = gettext("%(agency)s now leads case %(reference)s.") % values
        else:
            subject = gettext("Your agency joined case %(reference)s") % values
            body = (
                gettext("%(agency)s joined the team of case %(reference)s, as the routing rules say.")
                % values
            )
        body += "\n\n" + open_it("cases:detail", reference) + "\n\n"
        body += gettext("This message holds no personal data; the record is in Palermo only.")
    return EmailMessage(subject=subject, body=body, to=[user.email])


def notify_team(case_id: int, agency_id: int, about: str) -> int:
    """Email each case worker of the agency (one message each); returns how many were sent. A mail failure is
    logged by case and agency id and changes nothing on the case."""
    reference = case_model().objects.filter(pk=case_id).values_list("reference", flat=True).first()
    agency = Agency.objects.filter(pk=agency_id).first()
    if reference is None or agency is None:
        return 0
    recipients = agency_recipients(agency_id)
    path = reverse("cases:detail", args=[reference])
    notices_send(
        user_ids=[user.pk for user in recipients],
        kind=TEAM_NOTICES[about],
        reference=reference,
        path=path,
        email=False,
    )
    messages = [team_message(user, reference, agency.name, about) for user in recipients if user.email]
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except (SMTPException, OSError):
        logger.warning("team notice for case %s could not be sent to agency %s", case_id, agency_id)
        return 0


@task()
def send_team_notice(case_id: int, agency_id: int, about: str) -> int:
    """The worker's side of `notify_team`: enqueued once a routed join or a transfer of the lead commits."""
    return notify_team(case_id, agency_id, about)
