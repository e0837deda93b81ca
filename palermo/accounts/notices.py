"""Emails about a person's own account (docs/decisions/0032), sent by the task worker once the change has
committed. Each task takes a record's id only (no personal data, no token in task arguments): the worker
reads the address and, for a link, issues the token itself, so a link's token exists only in the email.
Links are full addresses from PALERMO_SITE_URL (palermo.core.links)."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django_tasks import task

from palermo.accounts.models import Invitation, Notice, SecondFactorReset, User
from palermo.accounts.notice_kinds import notice_text
from palermo.core.links import hash_token, new_token, site_url

logger = logging.getLogger(__name__)


def deliver(subject: str, body: str, address: str, *, what: str, record_id: int) -> int:
    """Send one email to one address; a failure is logged by what it was about and the record's id (never
    the address) and sends nothing. Returns how many were sent (0 or 1)."""
    if not address:
        return 0
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except (SMTPException, OSError):
        logger.warning("%s %s could not be sent", what, record_id)
        return 0


def in_language_of(user: User) -> translation.override:
    """An email in the person's language, or the deployment's."""
    return translation.override(user.preferred_language or settings.LANGUAGE_CODE)


@transaction.atomic
def invitation_token_issue(invitation_id: int) -> tuple[Invitation, str] | None:
    """A new link token for an open invitation, as the worker sends it: its hash is stored, the token goes
    into the email only. Each issue replaces the last, so only the newest email's link works."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user", "membership__agency")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return invitation, token


def invitation_message(invitation: Invitation, link: str) -> tuple[str, str]:
    membership = invitation.membership
    with in_language_of(invitation.user):
        subject = gettext("You are invited to Palermo")
        body = gettext(
            "You have been given an account in Palermo, as %(role)s for %(agency)s.\n\n"
            "To start, open this link, choose a password and set up a second factor with an authenticator "
            "app on your phone:\n\n%(link)s\n\n"
            "Your sign-in name is your email address: %(username)s\n"
            "The link works once, until %(expires)s. If it has expired, ask your administrator to send a "
            "new one. If you did not expect this email, you can ignore it."
        ) % {
            "role": membership.get_role_display(),
            "agency": membership.agency.name,
            "link": link,
            "username": invitation.user.get_username(),
            "expires": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
        }
    return subject, body


@task()
def send_invitation(invitation_id: int) -> int:
    """Email an invitation with a new single-use link (nothing if it was used or expired meanwhile)."""
    issued = invitation_token_issue(invitation_id)
    if issued is None:
        return 0
    invitation, token = issued
    link = site_url(reverse("accounts:invitation", kwargs={"token": token}))
    subject, body = invitation_message(invitation, link)
    return deliver(subject, body, invitation.user.email, what="invitation", record_id=invitation_id)


@task()
def send_second_factor_reset_notice(reset_id: int) -> int:
    """Tell a person their second factor was reset, and what happens at their next sign-in."""
    reset = SecondFactorReset.objects.select_related("user").filter(pk=reset_id).first()
    if reset is None or reset.confirmed_at is None:
        return 0
    user = reset.user
    with in_language_of(user):
        subject = gettext("Your second factor for Palermo was reset")
        body = gettext(
            "Two administrators have reset the second factor of your Palermo account, and you have been "
            "signed out. At your next sign-in you will set up your authenticator app again:\n\n%(link)s\n\n"
            "If you did not ask for this, tell your agency's administrator or data protection officer now."
        ) % {"link": site_url(reverse("accounts:login"))}
    return deliver(subject, body, user.email, what="second factor reset notice", record_id=reset_id)


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@task()
def send_password_reset(user_id: int) -> int:
    """Email a password reset link (Django's token: it stops working once the password changes, after
    PASSWORD_RESET_TIMEOUT, or once the account signs in again)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return 0
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    with in_language_of(user):
        subject = gettext("Reset your Palermo password")
        body = gettext(
            "Someone asked to reset the password of your Palermo account. To choose a new password, open "
            "this link within %(hours)d hours:\n\n%(link)s\n\n"
            "If it was not you, ignore this email: your password stays as it is."
        ) % {"hours": hours, "link": password_reset_link(user)}
    return deliver(subject, body, user.email, what="password reset", record_id=user_id)


@task()
def send_notice_email(notice_id: int) -> int:
    """Email one in-app notice to its reader: its words and the full link; nothing else about the case."""
    notice = Notice.objects.select_related("user").filter(pk=notice_id).first()
    if notice is None or not notice.user.is_active:
        return 0
    with in_language_of(notice.user):
        text = notice_text(notice)
        body = gettext("%(text)s\n\nOpen it in Palermo: %(link)s\n\nThis message holds no personal data.") % {
            "text": text,
            "link": site_url(notice.path or reverse("accounts:notices")),
        }
    return deliver(text, body, notice.user.email, what="notice", record_id=notice_id)
