"""Delivering sent packages to a partner's inbox (docs/decisions/0051).

A package for a partner whose registration gives an inbox address is queued (`package_send`); the task worker
POSTs the compact JWE there (`Content-Type: application/jose`) and keeps the partner's receipt. Each attempt:

1. Under the lock of the package and of the consent it was made under, check that the consent still counts
   and the partner's keys are still in use. If not, the package is stopped and never leaves: a withdrawal
   that comes before this step wins; one that comes after it finds the package on its way (as a withdrawal
   after a download does). The attempt is counted and committed before anything is sent.
2. POST, outside any transaction (no lock is held while the partner answers), with timeouts.
3. Keep the outcome: delivered (2xx; the receipt from the answer's JSON); refused by the partner (4xx other
   than 408, 425 and 429: retrying would not help) -> failed; anything else (no answer, timeout, 5xx, 429)
   -> tried again later, with a growing wait (`BACKOFF`), up to `MAX_ATTEMPTS`, then failed.

Every attempt and every outcome is on the audit record (`returns.package.attempt`, `.deliver`, `.retry`,
`.fail`, `.stop`, `.requeue`, and `.late` for an answer that came after its attempt was taken for lost),
by the system, naming the case and the package, never a person; delivered and
given up also put an entry on the case's timeline (queued is put there when the package is sent).

A worker that dies between counting an attempt and keeping its outcome leaves the package queued with the
outcome `sending`. While sending, `next_attempt_at` says when that attempt is overdue (`STALE_AFTER`, well
past the request's timeouts); the sweep (`sweep_stale_deliveries`, booked with each attempt to run once it is
overdue, and run by the daily retention chain as a backstop) puts such a package back in the queue, under its
lock and only if it is still that attempt, sending: never two attempts at once. A re-send is harmless: the
partner's inbox answers the same package with the same receipt, keeping it once.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import requests
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop
from django_tasks import task

from palermo.access.notifications import agency_recipients
from palermo.access.tiers import Tier
from palermo.accounts.notice_kinds import notice_kind
from palermo.accounts.services.notices import notices_send
from palermo.audit.services import audit_on_record
from palermo.cases.models import Consent
from palermo.cases.services.timeline import record_entry
from palermo.returns.models import PackageDirection, PackageStatus, TransnationalPackage
from palermo.returns.services.common import WORKER_NAMES_IT, package_entry

MAX_ATTEMPTS = 6
# The wait after the n-th failed attempt: 1 minute, then 5, 25, about 2 hours, about 10 hours.
BACKOFF = datetime.timedelta(minutes=1)
BACKOFF_FACTOR = 5
TIMEOUT = (5, 30)  # seconds: to connect, to read the answer
MAX_RECEIPT = 200
RETRY_STATUSES = frozenset({408, 425, 429})
# How long an attempt may be `sending` before the sweep takes it for lost: far longer than the request may
# take (5 s to connect, then 30 s between bytes of the answer) and the two short transactions around it.
STALE_AFTER = datetime.timedelta(minutes=15)
SENDING = "sending"


def backoff(attempts: int) -> datetime.timedelta:
    """The wait before the next attempt, after `attempts` (>= 1) have failed."""
    return BACKOFF * BACKOFF_FACTOR ** max(0, attempts - 1)


def http_session() -> requests.Session:
    """The HTTP client the worker sends with (TLS verified; tests route it into the Django test client)."""
    return requests.Session()


@dataclass(frozen=True)
class Attempt:
    outcome: str  # a code: delivered, timeout, unreachable, http_503...
    delivered: bool = False
    retry: bool = False
    receipt: str = ""


def post(url: str, token: str) -> Attempt:
    """POST the package to the partner's inbox; what came of it (never raises for the network's reasons)."""
    try:
        with http_session() as session:
            response = session.post(
                url,
                data=token.encode("ascii"),
                headers={"Content-Type": "application/jose", "Accept": "application/json"},
                timeout=TIMEOUT,
                allow_redirects=False,
            )
    except requests.Timeout:
        return Attempt("timeout", retry=True)
    except requests.RequestException:
        return Attempt("unreachable", retry=True)
    code = response.status_code
    if 200 <= code < 300:
        try:
            answer = json.loads(response.content or b"{}")
        except ValueError:
            answer = {}
        receipt = answer.get("receipt") if isinstance(answer, dict) else None
        return Attempt("delivered", delivered=True, receipt=str(receipt or "")[:MAX_RECEIPT])
    retry = code in RETRY_STATUSES or code >= 500 or 300 <= code < 400
    return Attempt(f"http_{code}", retry=retry)


PACKAGE_DELIVERED = package_entry(
    gettext_noop("Transnational referral package delivered to %(partner)s"),
    "returns.package.deliver",
    object_type=WORKER_NAMES_IT,
)
PACKAGE_UNDELIVERED = package_entry(
    gettext_noop("Transnational referral package could not be delivered to %(partner)s"),
    "returns.package.fail",
    object_type=WORKER_NAMES_IT,
)


def _audit(package: TransnationalPackage, action: str, reason: str) -> None:
    audit_on_record(
        package,
        "package",
        f"returns.package.{action}",
        Tier.METADATA,
        actor=None,
        case=package.case,
        reason=reason,
    )


def enqueue_delivery(package_pk: int, *, after: datetime.datetime | None = None) -> None:
    """Queue an attempt: at once once the caller's transaction commits, or (`after`) then, with the row."""
    if after is None:
        transaction.on_commit(lambda: deliver_package.enqueue(package_pk))
        return
    if deliver_package.get_backend().supports_defer:
        deliver_package.using(run_after=after).enqueue(package_pk)
    # A backend that cannot wait (the immediate one) gets no retry: the package stays queued, its next
    # attempt's time shown, until sent again.


def stop_reason(package: TransnationalPackage, consent: Consent | None) -> str:
    from palermo.returns.services.packages import transnational_consents

    if package.case is None or consent is None or consent.withdrawn_at is not None:
        return "consent_withdrawn"
    if not transnational_consents(package.case, package.partner.country).filter(pk=consent.pk).exists():
        return "consent_withdrawn"
    key = package.key
    if key.revoked_at is not None or not key.inbox_url or not package.partner.is_active:
        return "keys_revoked"
    return ""


def _outcome(package: TransnationalPackage, action: str, reason: str) -> None:
    """The outcome on the record: delivered and given up on the case's timeline too (with their audit
    event, through the shared helper), the rest on the audit record only."""
    entry = {"deliver": PACKAGE_DELIVERED, "fail": PACKAGE_UNDELIVERED}.get(action)
    if entry is None or package.case is None:
        _audit(package, action, reason)
        return
    values = {"partner": package.partner.name}
    record_entry(entry, package, actor=None, membership=None, case=package.case, values=values, reason=reason)


def _locked(package_pk: int) -> TransnationalPackage | None:
    return (
        TransnationalPackage.objects.select_for_update(of=("self",))
        .select_related("key", "partner", "case")
        .filter(pk=package_pk, direction=PackageDirection.SENT)
        .first()
    )


def package_deliver(package_pk: int) -> str:
    """One attempt at delivering a queued package (the worker's side); answers the outcome's code."""
    with transaction.atomic():
        package = _locked(package_pk)
        if package is None or package.status != PackageStatus.QUEUED:
            return "not_queued"
        now = timezone.now()
        if package.outcome == SENDING and package.next_attempt_at and package.next_attempt_at > now:
            return SENDING  # another attempt is on its way: never two at once
        consent = (
            Consent.objects.select_for_update().filter(pk=package.consent_id).first()
            if package.consent_id is not None
            else None
        )
        stop = stop_reason(package, consent)
        if stop:
            package.status, package.outcome, package.next_attempt_at = PackageStatus.STOPPED, stop, None
            package.save(update_fields=["status", "outcome", "next_attempt_at"])
            _audit(package, "stop", stop)
            return stop
        package.attempts += 1
        # While sending, the next attempt's time is when this one is overdue (the sweep's mark).
        package.outcome, package.next_attempt_at = SENDING, now + STALE_AFTER
        package.save(update_fields=["attempts", "outcome", "next_attempt_at"])
        _audit(package, "attempt", f"attempt {package.attempts}")
        book_sweep(package.next_attempt_at)
        url, token, attempts = package.key.inbox_url, package.token, package.attempts
    attempt = post(url, token)
    with transaction.atomic():
        locked = _locked(package_pk)
        if locked is None or locked.status != PackageStatus.QUEUED or locked.attempts != attempts:
            # The sweep took this attempt for lost meanwhile and another has the package now: its outcome
            # is the one kept; this answer is only on the audit record.
            if locked is not None:
                _audit(locked, "late", f"attempt {attempts}: {attempt.outcome}")
            return attempt.outcome
        locked.outcome = attempt.outcome
        locked.next_attempt_at = None
        if attempt.delivered:
            locked.status, locked.delivered_at, locked.receipt = (
                PackageStatus.SENT,
                timezone.now(),
                attempt.receipt,
            )
            action = "deliver"
        elif attempt.retry and locked.attempts < MAX_ATTEMPTS:
            locked.next_attempt_at = timezone.now() + backoff(locked.attempts)
            enqueue_delivery(locked.pk, after=locked.next_attempt_at)
            action = "retry"
        else:
            locked.status = PackageStatus.FAILED
            action = "fail"
        locked.save(update_fields=["status", "outcome", "delivered_at", "receipt", "next_attempt_at"])
        _outcome(locked, action, f"attempt {locked.attempts}: {attempt.outcome}")
    return attempt.outcome


@task()
def deliver_package(package_pk: int) -> str:
    """The worker's side of sending: enqueued with the package's id only (no personal data in arguments)."""
    return package_deliver(package_pk)


# --- the sweep of lost attempts ----------


def book_sweep(when: datetime.datetime) -> None:
    """Run the sweep once `when` has passed (with the caller's transaction: an attempt counted books the look
    at it). A backend that cannot wait (the immediate one) books nothing."""
    if sweep_stale_deliveries.get_backend().supports_defer:
        sweep_stale_deliveries.using(run_after=when).enqueue()


def stale_deliveries(now: datetime.datetime | None = None) -> list[int]:
    """The ids of sent packages whose attempt has been `sending` past its time."""
    return list(
        TransnationalPackage.objects.filter(
            direction=PackageDirection.SENT,
            status=PackageStatus.QUEUED,
            outcome=SENDING,
            next_attempt_at__lte=now or timezone.now(),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def package_requeue(package_pk: int, now: datetime.datetime | None = None) -> str:
    """Put back in the queue a package whose attempt was lost (a worker that died mid-attempt), under its
    lock and only if that attempt is still `sending` past its time; given up (failed) if it was the last
    attempt allowed. Answers what was done: requeued, fail or nothing."""
    with transaction.atomic():
        package = _locked(package_pk)
        now = now or timezone.now()
        if (
            package is None
            or package.status != PackageStatus.QUEUED
            or package.outcome != SENDING
            or package.next_attempt_at is None
            or package.next_attempt_at > now
        ):
            return "nothing"
        package.outcome = "lost"
        reason = f"attempt {package.attempts}: lost"
        if package.attempts >= MAX_ATTEMPTS:
            package.status, package.next_attempt_at = PackageStatus.FAILED, None
            package.save(update_fields=["status", "outcome", "next_attempt_at"])
            _outcome(package, "fail", reason)
            return "fail"
        package.next_attempt_at = None
        package.save(update_fields=["outcome", "next_attempt_at"])
        _audit(package, "requeue", reason)
        enqueue_delivery(package.pk)
    return "requeued"


def sweep_stale_deliveries_now(now: datetime.datetime | None = None) -> int:
    """Requeue (or give up) every package whose attempt was lost; how many were found."""
    found = stale_deliveries(now)
    for pk in found:
        package_requeue(pk, now)
    return len(found)


@task()
def sweep_stale_deliveries() -> int:
    """The sweep, as the worker runs it (no arguments). Counts only."""
    return sweep_stale_deliveries_now()


# --- packages arriving in our inbox ----------

PACKAGE_ARRIVED_NOTICE = notice_kind(
    "returns.package_arrived",
    gettext_lazy("A referral package from a partner abroad waits for review in Packages from abroad."),
)


def inbox_readers(agency_id: int) -> list[int]:
    """Who is told of a package for `agency_id`: its active members who may review packages."""
    from palermo.returns.web import INBOX_ROLES

    return [user.pk for user in agency_recipients(agency_id, INBOX_ROLES)]


@task()
def notify_package_arrived(package_pk: int) -> int:
    """Tell the receiving agency's reviewers that a package waits (an in-app notice and its email): that a
    package from a partner abroad came, and the link to it; nothing from the package. Counts only."""
    agency_id = (
        TransnationalPackage.objects.filter(
            pk=package_pk, direction=PackageDirection.RECEIVED, status=PackageStatus.AWAITING
        )
        .values_list("agency_id", flat=True)
        .first()
    )
    if agency_id is None:
        return 0
    sent = notices_send(
        user_ids=inbox_readers(agency_id),
        kind=PACKAGE_ARRIVED_NOTICE,
        reference="",
        path=reverse("returns:received", args=[package_pk]),
    )
    return len(sent)
