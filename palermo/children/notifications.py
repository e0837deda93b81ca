"""The guardian hears of every decision on the child's case: an email after the decision is committed, with
the case reference and the decision's short label only (never names, reasons or the child's views), and an
in-app notice with the same label on the child's section of the case page."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

from palermo.cases.models import Case
from palermo.children.models import GuardianNotice, Guardianship
from palermo.core.decisions import DecisionRecorded

logger = logging.getLogger(__name__)


def message(reference: str, label: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Decision on case %(reference)s") % {"reference": reference}
        body = gettext(
            "A decision was recorded on case %(reference)s, of which you are the child's guardian:\n\n"
            "%(label)s\n\nThe decision, its reasons and the child's views are in Palermo."
        ) % {"reference": reference, "label": label}
    return subject, body


def notify_guardian(event: DecisionRecorded) -> None:
    """The registered listener: the in-app notice and the email."""
    send_guardian_notice(event)


def _keep_notice(guardianship: Guardianship, event: DecisionRecorded, *, emailed: bool) -> None:
    GuardianNotice.objects.create(
        guardianship=guardianship,
        case_id=event.case_id,
        label=event.label[:300],
        object_type=event.object_type[:60],
        object_id=str(event.object_id),
        decided_at=event.decided_at,
        emailed=emailed,
    )


def send_guardian_notice(event: DecisionRecorded) -> int:
    """Mail the case's current guardian (if any, with an address). Returns how many were sent; a mail failure
    is logged by case id and does not undo the decision."""
    guardianship = (
        Guardianship.objects.filter(case_id=event.case_id, ended_at__isnull=True)
        .select_related("guardian")
        .first()
    )
    if guardianship is None or guardianship.guardian_id == event.actor_id:
        return 0  # no one to tell, or the guardian took the decision themselves
    guardian = guardianship.guardian
    reference = Case.objects.filter(pk=event.case_id).values_list("reference", flat=True).first()
    sent = 0
    if reference is not None and guardian.is_active and guardian.email:
        subject, body = message(reference, event.label)
        try:
            sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [guardian.email])
        except (SMTPException, OSError):
            logger.warning("decision notice for case %s could not be sent to the guardian", event.case_id)
    _keep_notice(guardianship, event, emailed=bool(sent))
    return sent
