"""Packages delivered to a partner's inbox (docs/decisions/0051): two installations in one test, the sender's
worker POSTing through the real HTTP client (requests) into the receiver's inbox through Django's whole
request path (the test client, behind a requests transport adapter); a tampered or unknown package refused at
the inbox, audited, nothing kept; retries with backoff after a failure; consent withdrawn before the worker
runs means nothing is sent; the inbox address checked at registration."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from palermo.accounts.models import Notice, User
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, CaseEvent
from palermo.cases.services.consent import consent_withdraw
from palermo.returns.models import PackageDirection, PackageStatus, PartnerKey, TransnationalPackage
from palermo.returns.services import delivery
from palermo.returns.services.packages import (
    clean_inbox_url,
    package_accept,
    package_send,
    partner_key_register,
    receipt_of,
    received_fields,
)
from tests.conftest import signed_in_as
from tests.returns.conftest import Instance, consent_abroad, partner_in
from tests.worker import queued, run_worker

pytestmark = pytest.mark.django_db

INBOX = "https://partner.test" + "/api/v1/returns/inbox/"


class DjangoTransport(BaseAdapter):
    """requests' transport into Django's test client: the request goes through the receiving installation's
    whole stack (middleware, URL routing, the API view), with its keys active while it is handled. `fail`:
    the answers to give first instead (a status code, or an exception to raise)."""

    def __init__(self, receiver: Instance, fail: list[Any] | None = None) -> None:
        super().__init__()
        self.receiver, self.fail, self.calls = receiver, list(fail or []), 0

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.calls += 1
        assert kwargs.get("timeout"), "the worker always sets a timeout"
        if self.fail:
            failure = self.fail.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return self._response(request, failure, b"")
        parts = urlsplit(str(request.url))
        with self.receiver.active():
            answer = Client(REMOTE_ADDR="192.0.2.10").generic(
                str(request.method),
                parts.path,
                data=request.body or b"",
                content_type=str(request.headers.get("Content-Type", "")),
                secure=parts.scheme == "https",
            )
        return self._response(request, answer.status_code, answer.content, dict(answer.items()))

    @staticmethod
    def _response(
        request: requests.PreparedRequest, code: int, body: bytes, headers: dict[str, str] | None = None
    ) -> requests.Response:
        response = requests.Response()
        response.status_code, response._content = code, body
        response.headers = CaseInsensitiveDict(headers or {})
        response.url, response.request = str(request.url), request
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def transport(monkeypatch: pytest.MonkeyPatch, abroad: Instance) -> Iterator[DjangoTransport]:
    adapter = DjangoTransport(abroad)

    def session() -> requests.Session:
        made = requests.Session()
        made.mount("https://", adapter)
        made.mount("http://", adapter)
        return made

    monkeypatch.setattr(delivery, "http_session", session)
    yield adapter


def register_with_inbox(admin: User, editor: User, instance: Instance, **extra: Any) -> PartnerKey:
    return partner_key_register(
        actor=admin,
        membership=admin.membership,  # type: ignore[attr-defined]
        partner=partner_in(editor, extra.pop("country", "ALB")),
        public_keys=instance.keys.public_set(),
        fingerprint=instance.keys.fingerprint,
        **extra,
    )


def they_register_us(admin: User, manager: User, responder: User, here: Instance, abroad: Instance) -> None:
    """The other installation registers our keys, naming the agency that takes our packages (its
    responder's)."""
    with abroad.active():
        register_with_inbox(
            admin,
            manager,
            here,
            country="GBR",
            receiving_agency=responder.membership.agency,  # type: ignore[attr-defined]
        )


@pytest.fixture
def linked(
    admin: User, manager: User, responder: User, adult_case: Case, here: Instance, abroad: Instance
) -> PartnerKey:
    """Each installation knows the other's keys, ours knows the partner's inbox, and the person consented to
    transfer to the partner's country: our registration of the partner."""
    they_register_us(admin, manager, responder, here, abroad)
    ours = register_with_inbox(admin, manager, abroad, inbox_url=INBOX)
    consent_abroad(manager, adult_case)
    return ours


def send(manager: User, case: Case, key: PartnerKey, capture: Any) -> TransnationalPackage:
    with capture(execute=True):
        return package_send(
            actor=manager,
            membership=manager.membership,  # type: ignore[attr-defined]
            case=case,
            partner=key.partner,
            purpose="reception",
        )


def actions(package: TransnationalPackage) -> list[str]:
    events = AuditEvent.objects.filter(object_type="package", object_id=str(package.pk)).order_by("sequence")
    return [event.action for event in events]


@pytest.mark.django_db(transaction=True)  # the real worker commits
def test_round_trip_through_the_partners_inbox(
    manager: User,
    responder: User,
    authority: User,
    adult_case: Case,
    abroad: Instance,
    linked: PartnerKey,
    transport: DjangoTransport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent = send(manager, adult_case, linked, django_capture_on_commit_callbacks)
    assert sent.status == PackageStatus.QUEUED and len(queued(delivery.deliver_package)) == 1
    run_worker()
    sent.refresh_from_db()
    assert transport.calls == 1
    assert sent.status == PackageStatus.SENT and sent.attempts == 1 and sent.delivered_at is not None
    assert sent.receipt == receipt_of(sent.token)  # what the partner kept is what we sent
    assert actions(sent) == ["returns.package.attempt", "returns.package.deliver"]
    assert AuditEvent.objects.filter(action="returns.package.send").count() == 1
    # On the other side: in the receiving agency's inbox, awaiting a person, by no one signed in.
    received = TransnationalPackage.objects.get(direction=PackageDirection.RECEIVED)
    assert received.status == PackageStatus.AWAITING and received.by is None
    assert received.agency == responder.membership.agency  # type: ignore[attr-defined]
    assert received.package_id == sent.package_id
    arrival = AuditEvent.objects.get(action="returns.package.receive", object_id=str(received.pk))
    assert arrival.actor is None and arrival.reason == "inbox"
    # A person accepts it where staff review packages: the referral opens only then.
    inbox = signed_in_as(responder)
    with abroad.active():
        listed = inbox.get(reverse("returns:inbox")).content.decode()
        assert reverse("returns:received", args=[received.pk]) in listed
        assert "(United Kingdom)" in listed and "(GBR)" not in listed  # the partner's country by its name
        opened = inbox.get(reverse("returns:received", args=[received.pk])).content.decode()
        assert "(United Kingdom), whose registered keys" in opened
        done = package_accept(
            actor=responder,
            membership=responder.membership,  # type: ignore[attr-defined]
            package=received,
            identification_agency=authority.membership.agency,  # type: ignore[attr-defined]
        )
    assert done.case is not None and done.case != adult_case
    # The case page says it in plain words.
    page = signed_in_as(manager).get(reverse("returns:section", args=[adult_case.reference])).content.decode()
    assert "the partner&#x27;s inbox gave a receipt" in page or "the partner's inbox gave a receipt" in page
    # The same package again (a sender retrying after a lost answer): the same receipt, kept once.
    again = transport.send(requests.Request("POST", INBOX, data=sent.token.encode()).prepare(), timeout=5)
    assert again.status_code == 200 and again.json()["receipt"] == sent.receipt
    assert TransnationalPackage.objects.filter(direction=PackageDirection.RECEIVED).count() == 1


def test_a_tampered_or_unknown_package_is_refused_at_the_inbox(
    manager: User,
    responder: User,
    admin: User,
    adult_case: Case,
    here: Instance,
    abroad: Instance,
    transport: DjangoTransport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = register_with_inbox(admin, manager, abroad)  # no inbox address: we keep the token to post by hand
    consent_abroad(manager, adult_case)
    token = send(manager, adult_case, ours, django_capture_on_commit_callbacks).token
    refusals = AuditEvent.objects.filter(action="returns.package.refuse").count()

    def post(body: str) -> requests.Response:
        return transport.send(requests.Request("POST", INBOX, data=body.encode()).prepare(), timeout=5)

    # The other side does not know our keys yet: an unknown signer.
    unknown = post(token)
    assert unknown.status_code == 400 and set(unknown.json()) == {"error"}
    assert unknown.json()["error"]["code"] == "invalid"
    they_register_us(admin, manager, responder, here, abroad)
    head, key, iv, body, tag = token.split(".")
    tampered = post(".".join([head, key, iv, body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB"), tag]))
    assert tampered.status_code == 400 and tampered.json()["error"]["fields"]["token"]
    assert post("not a package").status_code == 400
    assert not TransnationalPackage.objects.filter(direction=PackageDirection.RECEIVED).exists()
    reasons = list(
        AuditEvent.objects.filter(action="returns.package.refuse")
        .order_by("sequence")
        .values_list("reason", flat=True)[refusals:]
    )
    assert reasons == ["unknown_sender; inbox", "unreadable; inbox", "unreadable; inbox"]
    # Too large: refused before it is read.
    assert post("x" * 200_001).status_code == 413
    # Untouched, it is taken.
    assert post(token).status_code == 201


@pytest.mark.django_db(transaction=True)  # the real worker commits
def test_a_failed_attempt_is_tried_again_later(
    manager: User,
    adult_case: Case,
    linked: PartnerKey,
    transport: DjangoTransport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    transport.fail = [503, requests.ConnectTimeout()]
    sent = send(manager, adult_case, linked, django_capture_on_commit_callbacks)
    run_worker()
    sent.refresh_from_db()
    assert sent.status == PackageStatus.QUEUED and sent.attempts == 1 and sent.outcome == "http_503"
    assert sent.next_attempt_at is not None
    wait = sent.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= delivery.backoff(1)
    page = signed_in_as(manager).get(reverse("returns:section", args=[adult_case.reference]))
    assert "1 attempt did not get through." in page.content.decode()
    # Not yet due: the worker leaves it.
    run_worker()
    sent.refresh_from_db()
    assert sent.attempts == 1
    # Its time comes: tried again (a timeout), then a longer wait; then delivered.
    for attempts in (2, 3):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
        sent.refresh_from_db()
        assert sent.attempts == attempts
    assert delivery.backoff(2) == 5 * delivery.backoff(1)
    assert sent.status == PackageStatus.SENT and transport.calls == 3
    assert actions(sent) == [
        "returns.package.attempt",
        "returns.package.retry",
        "returns.package.attempt",
        "returns.package.retry",
        "returns.package.attempt",
        "returns.package.deliver",
    ]


def test_a_partner_refusal_or_the_last_attempt_fails_the_package(
    manager: User, adult_case: Case, linked: PartnerKey, transport: DjangoTransport
) -> None:
    transport.fail = [400]
    sent = package_send(
        actor=manager,
        membership=manager.membership,  # type: ignore[attr-defined]
        case=adult_case,
        partner=linked.partner,
        purpose="reception",
    )  # its task is not run: the attempts below are made by hand
    assert delivery.package_deliver(sent.pk) == "http_400"
    sent.refresh_from_db()
    assert sent.status == PackageStatus.FAILED and transport.calls == 1
    assert delivery.package_deliver(sent.pk) == "not_queued"  # never again by itself
    TransnationalPackage.objects.filter(pk=sent.pk).update(
        status=PackageStatus.QUEUED, attempts=delivery.MAX_ATTEMPTS - 1
    )
    transport.fail = [502]
    delivery.package_deliver(sent.pk)
    sent.refresh_from_db()
    assert sent.status == PackageStatus.FAILED and sent.attempts == delivery.MAX_ATTEMPTS
    assert actions(sent)[-1] == "returns.package.fail"


@pytest.mark.django_db(transaction=True)  # the real worker commits
def test_consent_withdrawn_before_the_worker_runs_means_nothing_is_sent(
    manager: User,
    adult_case: Case,
    linked: PartnerKey,
    transport: DjangoTransport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent = send(manager, adult_case, linked, django_capture_on_commit_callbacks)
    assert sent.status == PackageStatus.QUEUED
    consent = sent.consent
    assert consent is not None
    consent_withdraw(actor=manager, membership=manager.membership, consent=consent)  # type: ignore[attr-defined]
    run_worker()
    sent.refresh_from_db()
    assert transport.calls == 0
    assert sent.status == PackageStatus.STOPPED and sent.outcome == "consent_withdrawn" and sent.attempts == 0
    assert actions(sent) == ["returns.package.stop"]
    page = signed_in_as(manager).get(reverse("returns:section", args=[adult_case.reference]))
    assert "consent was withdrawn before it was sent" in page.content.decode()


def test_the_inbox_address_is_checked(settings: Any) -> None:
    assert clean_inbox_url(" https://nrm.example.org/inbox/ ") == "https://nrm.example.org/inbox/"
    assert clean_inbox_url("") == ""
    for wrong in (
        "ftp://nrm.example.org/",
        "https://user:secret@nrm.example.org/",
        "nrm.example.org/inbox",
        "http://nrm.example.org/inbox/",
        "javascript:alert(1)",
    ):
        with pytest.raises(ValidationError):
            clean_inbox_url(wrong)
    # Plain http only to this machine, and only in development or tests.
    assert clean_inbox_url("http://127.0.0.1:8000/api/v1/returns/inbox/")
    assert clean_inbox_url("http://localhost:8000/api/v1/returns/inbox/")
    settings.DEBUG, settings.EPHEMERAL_KEYS = False, False
    with pytest.raises(ValidationError):
        clean_inbox_url("http://127.0.0.1:8000/api/v1/returns/inbox/")


def test_the_partner_keys_page_takes_the_inbox_address(client_for: Any, admin: User, manager: User) -> None:
    abroad = Instance()
    partner = partner_in(manager)
    client = client_for(admin)
    values = {
        "partner": partner.pk,
        "public_keys": abroad.keys.public_set(),
        "fingerprint": abroad.keys.fingerprint,
        "receiving_agency": manager.membership.agency.pk,  # type: ignore[attr-defined]
    }
    wrong = client.post(reverse("returns:partner_keys"), {**values, "inbox_url": "http://nrm.example.org/"})
    assert wrong.status_code == 400 and "https://" in wrong.content.decode()
    right = client.post(reverse("returns:partner_keys"), {**values, "inbox_url": INBOX})
    assert right.status_code == 302
    key = PartnerKey.objects.get(partner=partner)
    assert key.inbox_url == INBOX and key.receiving_agency == manager.membership.agency  # type: ignore[attr-defined]
    shown = client.get(reverse("returns:partner_keys")).content.decode()
    assert INBOX in shown and reverse("api-returns-inbox") in shown
    assert "(Albania)" in shown and "(ALB)" not in shown  # the partner's country by its name


@dataclass
class Sending:
    """A case worker's package to the linked partner, the partner reached through `transport`."""

    manager: User
    case: Case
    key: PartnerKey
    transport: DjangoTransport
    capture: Any

    def send(self, *, run: bool = True) -> TransnationalPackage:
        """Send; `run`: its delivery task is enqueued (else dropped: the attempts are made by hand)."""
        return send(self.manager, self.case, self.key, lambda execute: self.capture(execute=run))

    def entries(self) -> list[str]:
        return list(CaseEvent.objects.filter(case=self.case).order_by("pk").values_list("summary", flat=True))

    def section(self) -> str:
        page = signed_in_as(self.manager).get(reverse("returns:section", args=[self.case.reference]))
        return page.content.decode()


@pytest.fixture
def sending(
    manager: User,
    adult_case: Case,
    linked: PartnerKey,
    transport: DjangoTransport,
    django_capture_on_commit_callbacks: Any,
) -> Sending:
    return Sending(manager, adult_case, linked, transport, django_capture_on_commit_callbacks)


def lost(package: TransnationalPackage, *, attempts: int = 1, overdue: bool = False) -> None:
    """The state a worker leaves behind when it dies mid-attempt: queued, `sending`, attempts counted."""
    since = timezone.now() - (
        delivery.STALE_AFTER + datetime.timedelta(minutes=1) if overdue else datetime.timedelta()
    )
    TransnationalPackage.objects.filter(pk=package.pk).update(
        status=PackageStatus.QUEUED,
        attempts=attempts,
        outcome=delivery.SENDING,
        next_attempt_at=since + delivery.STALE_AFTER,
    )


def test_a_lost_attempt_is_swept_back_into_the_queue_and_never_sent_twice_at_once(sending: Sending) -> None:
    partner = sending.key.partner.name
    sent = sending.send(run=False)
    assert sending.entries()[-1] == f"Transnational referral package queued for sending to {partner}"
    lost(sent)
    # Its attempt is still young: another attempt does not start, and the sweep leaves it.
    assert delivery.package_deliver(sent.pk) == delivery.SENDING and sending.transport.calls == 0
    assert "Being sent now (attempt 1)." in sending.section()
    assert delivery.sweep_stale_deliveries_now() == 0
    # Overdue (the worker died): the sweep puts it back in the queue, once, on the record.
    later = timezone.now() + delivery.STALE_AFTER + datetime.timedelta(seconds=1)
    with sending.capture() as callbacks:
        assert delivery.sweep_stale_deliveries_now(later) == 1
    assert len(callbacks) == 1  # the delivery task, enqueued once this commits
    assert delivery.sweep_stale_deliveries_now(later) == 0
    sent.refresh_from_db()
    assert sent.status == PackageStatus.QUEUED and sent.outcome == "lost" and sent.next_attempt_at is None
    assert "1 attempt did not get through." in sending.section()
    assert delivery.package_deliver(sent.pk) == "delivered" and sending.transport.calls == 1
    assert actions(sent)[-3:] == [
        "returns.package.requeue",
        "returns.package.attempt",
        "returns.package.deliver",
    ]
    requeued = AuditEvent.objects.get(action="returns.package.requeue", object_id=str(sent.pk))
    assert requeued.actor is None and requeued.reason == "attempt 1: lost"
    assert sending.entries()[-1] == f"Transnational referral package delivered to {partner}"
    # Lost on the last attempt allowed: given up, on the timeline.
    lost(sent, attempts=delivery.MAX_ATTEMPTS, overdue=True)
    assert delivery.package_requeue(sent.pk) == "fail"
    sent.refresh_from_db()
    assert sent.status == PackageStatus.FAILED
    assert sending.entries()[-1] == f"Transnational referral package could not be delivered to {partner}"


def test_an_answer_after_the_attempt_was_taken_for_lost_is_only_audited(
    sending: Sending, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent = sending.send(run=False)
    real = delivery.post

    def slow(url: str, token: str) -> delivery.Attempt:
        # While this attempt waits for its answer, the sweep takes it for lost and another attempt starts.
        lost(sent, attempts=2, overdue=True)
        return real(url, token)

    monkeypatch.setattr(delivery, "post", slow)
    assert delivery.package_deliver(sent.pk) == "delivered"
    sent.refresh_from_db()
    assert sent.status == PackageStatus.QUEUED and sent.outcome == delivery.SENDING  # the newer attempt's
    assert actions(sent)[-1] == "returns.package.late"


@pytest.mark.django_db(transaction=True)  # the real worker commits
def test_each_attempt_books_the_sweep_that_looks_at_it(sending: Sending) -> None:
    sent = sending.send()
    run_worker()
    sent.refresh_from_db()
    assert sent.status == PackageStatus.SENT and sent.next_attempt_at is None
    (booked,) = queued(delivery.sweep_stale_deliveries)
    assert booked.status == "READY" and booked.run_after > timezone.now() + delivery.STALE_AFTER / 2
    booked.run_after = timezone.now()
    booked.save(update_fields=["run_after"])
    run_worker()  # finds nothing lost
    assert queued(delivery.sweep_stale_deliveries, "SUCCESSFUL")[0].return_value == 0


# Runs the database worker with the POST replaced by a wait, and says when it is waiting (to be killed).
STALLED_WORKER = """
import time, django
django.setup()
from palermo.returns.services import delivery
def stalled(url, token):
    print("stalled", flush=True)
    time.sleep(120)
delivery.post = stalled
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
"""


@pytest.mark.workers
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_attempt_leaves_a_package_the_sweep_sends(sending: Sending) -> None:
    from tests.operations.test_kill_mid_write import killed_half_way

    sent = sending.send()
    killed_half_way(STALLED_WORKER)
    sent.refresh_from_db()
    assert sent.status == PackageStatus.QUEUED and sent.outcome == delivery.SENDING and sent.attempts == 1
    run_worker()  # nothing is due: the package is not sent twice at once, its sweep waits
    assert sending.transport.calls == 0
    # Time passes: the attempt is overdue and its sweep comes due.
    TransnationalPackage.objects.filter(pk=sent.pk).update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    sent.refresh_from_db()
    assert sent.status == PackageStatus.SENT and sent.attempts == 2 and sending.transport.calls == 1
    assert actions(sent) == [
        "returns.package.attempt",
        "returns.package.requeue",
        "returns.package.attempt",
        "returns.package.deliver",
    ]


def failed(sending: Sending) -> TransnationalPackage:
    sent = sending.send(run=False)
    TransnationalPackage.objects.filter(pk=sent.pk).update(
        status=PackageStatus.FAILED, attempts=delivery.MAX_ATTEMPTS, outcome="http_503"
    )
    return sent


def test_send_again_on_the_page(sending: Sending) -> None:
    sent = failed(sending)
    client = signed_in_as(sending.manager)
    url = reverse("returns:action_on", args=[sending.case.reference, "package-again", sent.pk])
    assert url in sending.section() and "Send again" in sending.section()
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Send this package again" in confirm.content.decode()
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code in (400, 422)
    assert "Confirm that the package is to be sent again." in unconfirmed.content.decode()
    with sending.capture(execute=True):
        done = client.post(url, {"confirmed": "on"})
    assert done.status_code in (200, 302)
    sent.refresh_from_db()
    assert sent.status == PackageStatus.QUEUED and sent.attempts == 0 and sent.outcome == ""
    assert len(queued(delivery.deliver_package)) == 1  # the worker's attempt, made here by hand
    assert delivery.package_deliver(sent.pk) == "delivered" and sending.transport.calls == 1
    event = AuditEvent.objects.get(action="returns.package.send_again", object_id=str(sent.pk))
    assert event.actor == sending.manager
    partner = sending.key.partner.name
    assert f"Transnational referral package queued for sending again to {partner}" in sending.entries()
    # Only a failed package: once delivered there is nothing to send again.
    again = client.post(url, {"confirmed": "on"})
    assert "Only a package that could not be delivered is sent again." in again.content.decode()


def test_send_again_through_the_api_rechecks_consent(sending: Sending, responder: User) -> None:
    sent = failed(sending)
    url = reverse("api-returns-send-again", args=[sending.case.reference, sent.pk])
    # Someone who may not send from the case gets the one answer for "not there".
    assert signed_in_as(responder).post(url).status_code == 404
    manager = sending.manager
    client = signed_in_as(manager)
    assert sent.consent is not None
    consent_withdraw(actor=manager, membership=manager.membership, consent=sent.consent)  # type: ignore[attr-defined]
    refused = client.post(url)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid"
    sent.refresh_from_db()
    assert sent.status == PackageStatus.FAILED
    assert not AuditEvent.objects.filter(action="returns.package.send_again").exists()
    TransnationalPackage.objects.filter(pk=sent.pk).update(consent=consent_abroad(manager, sending.case))
    with sending.capture(execute=True):
        answer = client.post(url)
    assert answer.status_code == 200 and answer.json()["status"] == "queued"  # the worker takes it from there
    assert len(queued(delivery.deliver_package)) == 1 and sending.transport.calls == 0


@pytest.mark.django_db(transaction=True)  # the real worker commits
def test_the_receiving_agency_is_told_a_package_waits(
    sending: Sending, responder: User, mailoutbox: Any
) -> None:
    responder.email = "reviewer@example.org"  # a reserved domain: synthetic
    responder.save(update_fields=["email"])
    sent = sending.send()
    run_worker()  # delivers; the inbox's notice is a task of its own
    run_worker()  # and its email another
    received = TransnationalPackage.objects.get(direction=PackageDirection.RECEIVED)
    (notice,) = Notice.objects.filter(user=responder)
    assert notice.kind == delivery.PACKAGE_ARRIVED_NOTICE and notice.reference == ""
    assert notice.path == reverse("returns:received", args=[received.pk])
    # Nothing from the package in the notice or its email: not a name, not the partner's fields.
    fields = received_fields(received)
    mail = [message for message in mailoutbox if responder.email in message.to]
    assert len(mail) == 1 and "waits for review" in mail[0].subject
    for value in (fields["prs_FirstName"], fields["prs_SecondName"], sent.token[:40]):
        assert value not in mail[0].subject + mail[0].body
    assert notice.path in mail[0].body
    # The same package again keeps it once and tells no one again.
    sending.transport.send(requests.Request("POST", INBOX, data=sent.token.encode()).prepare(), timeout=5)
    run_worker()
    assert Notice.objects.filter(user=responder).count() == 1


def test_the_inbox_limit_says_what_it_limits(abroad: Instance, settings: Any) -> None:
    settings.RATE_LIMITS = "package_inbox=1/minute"
    client = Client(REMOTE_ADDR="192.0.2.77")
    with abroad.active():
        client.post(reverse("api-returns-inbox"), data=b"x", content_type="application/jose")
        limited = client.post(reverse("api-returns-inbox"), data=b"x", content_type="application/jose")
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    message = limited.json()["error"]["message"]
    assert "packages" in message and "search" not in message
