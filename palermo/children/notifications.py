"""The guardian hears of every decision on the child's case: an in-app notice on the child's section of the
case page, kept once the decision is committed, and an email sent by the task worker, with the case reference
and the decision's short label only (never names, reasons or the child's views). The task's one argument is
the notice's id (no personal data in task arguments)."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django_tasks import task

from palermo.accounts.notice_kinds import notice_kind
from palermo.accounts.services.notices import notices_send
from palermo.children.models import GuardianNotice, Guardianship
from palermo.core.decisions import DecisionRecorded
from palermo.core.links import open_it
from palermo.core.text import message_columns

logger = logging.getLogger(__name__)


GUARDIAN_NOTICE = notice_kind(
    "guardian.decision",
    gettext_lazy("A decision was recorded on case %(reference)s, of which you are the child's guardian."),
)


def message(reference: str, label: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Decision on case %(reference)s") % {"reference": reference}
        body = gettext(
            "A decision was recorded on case %(reference)s, of which you are the child's guardian:\n\n"
            "%(label)s\n\nThe decision, its reasons and the child's views are in Palermo."
        ) % {"reference": reference, "label": label}
        body += "\n\n" + open_it("cases:detail", reference)
    return subject, body


def notify_guardian(event: DecisionRecorded) -> None:
    """The registered listener, run once the decision is committed: keep the in-app notice, and have the task
    worker email the guardian (the task carries the notice's id only)."""
    notice = keep_guardian_notice(event)
    if notice is not None:
        notice_id = notice.pk
        transaction.on_commit(lambda: send_guardian_notice.enqueue(notice_id))


def keep_guardian_notice(event: DecisionRecorded) -> GuardianNotice | None:
    """The in-app notice to the case's current guardian, not yet emailed; None when there is no one to tell
    (no guardian, or the guardian took the decision themselves)."""
    guardianship = Guardianship.objects.filter(case_id=event.case_id, ended_at__isnull=True).first()
    if guardianship is None or guardianship.guardian_id == event.actor_id:
        return None
    return GuardianNotice.objects.create(
        guardianship=guardianship,
        case_id=event.case_id,
        label=event.label[:300],
        **message_columns(event.label),
        object_type=event.object_type[:60],
        object_id=str(event.object_id),
        decided_at=event.decided_at,
        emailed=False,
    )


@task()
def send_guardian_notice(notice_id: int) -> int:
    """Email notice `notice_id` to its guardian (if active, with an address) and mark it emailed. Returns how
    many were sent; a mail failure is logged by notice id and leaves the notice unmarked."""
    notice = (
        GuardianNotice.objects.filter(pk=notice_id).select_related("guardianship__guardian", "case").first()
    )
    if notice is None or notice.emailed:  # run again after a killed worker: sent already
        return 0
    guardian = notice.guardianship.guardian
    if not guardian.is_active:
        return 0
    notices_send(
        user_ids=[guardian.pk],
        kind=GUARDIAN_NOTICE,
        reference=notice.case.reference,
        path=reverse("cases:detail", args=[notice.case.reference]),
        email=False,  # the email below names the decision
    )
    if not guardian.email:
        return 0
    subject, body = message(notice.case.reference, notice.label)
    try:
        sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [guardian.email])
    except (SMTPException, OSError):
        logger.warning("decision notice %s could not be sent to the guardian", notice_id)
        return 0
    if sent:
        GuardianNotice.objects.filter(pk=notice_id).update(emailed=True)
    return sent
