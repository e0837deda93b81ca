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
`.fail`, `.stop`), by the system, naming the case and the package, never a person.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import requests
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from palermo.access.tiers import Tier
from palermo.audit.services import audit_record
from palermo.cases.models import Consent
from palermo.returns.models import PackageDirection, PackageStatus, TransnationalPackage

MAX_ATTEMPTS = 6
# The wait after the n-th failed attempt: 1 minute, then 5, 25, about 2 hours, about 10 hours.
BACKOFF = datetime.timedelta(minutes=1)
BACKOFF_FACTOR = 5
TIMEOUT = (5, 30)  # seconds: to connect, to read the answer
MAX_RECEIPT = 200
RETRY_STATUSES = frozenset({408, 425, 429})


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


def _audit(package: TransnationalPackage, action: str, reason: str) -> None:
    audit_record(
        actor=None,
        action=f"returns.package.{action}",
        tier=Tier.METADATA,
        case=package.case,
        object_type="package",
        object_id=str(package.pk),
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


def _stop_reason(package: TransnationalPackage, consent: Consent | None) -> str:
    from palermo.returns.services.packages import transnational_consents

    if package.case is None or consent is None or consent.withdrawn_at is not None:
        return "consent_withdrawn"
    if not transnational_consents(package.case, package.partner.country).filter(pk=consent.pk).exists():
        return "consent_withdrawn"
    key = package.key
    if key.revoked_at is not None or not key.inbox_url or not package.partner.is_active:
        return "keys_revoked"
    return ""


def package_deliver(package_pk: int) -> str:
    """One attempt at delivering a queued package (the worker's side); answers the outcome's code."""
    with transaction.atomic():
        package = (
            TransnationalPackage.objects.select_for_update(of=("self",))
            .select_related("key", "partner", "case")
            .filter(pk=package_pk, direction=PackageDirection.SENT)
            .first()
        )
        if package is None or package.status != PackageStatus.QUEUED:
            return "not_queued"
        consent = (
            Consent.objects.select_for_update().filter(pk=package.consent_id).first()
            if package.consent_id is not None
            else None
        )
        stop = _stop_reason(package, consent)
        if stop:
            package.status, package.outcome, package.next_attempt_at = PackageStatus.STOPPED, stop, None
            package.save(update_fields=["status", "outcome", "next_attempt_at"])
            _audit(package, "stop", stop)
            return stop
        package.attempts += 1
        package.outcome, package.next_attempt_at = "sending", None
        package.save(update_fields=["attempts", "outcome", "next_attempt_at"])
        _audit(package, "attempt", f"attempt {package.attempts}")
        url, token = package.key.inbox_url, package.token
    attempt = post(url, token)
    with transaction.atomic():
        locked = (
            TransnationalPackage.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=package_pk)
        )
        locked.outcome = attempt.outcome
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
        _audit(locked, action, f"attempt {locked.attempts}: {attempt.outcome}")
    return attempt.outcome


@task()
def deliver_package(package_pk: int) -> str:
    """The worker's side of sending: enqueued with the package's id only (no personal data in arguments)."""
    return package_deliver(package_pk)
