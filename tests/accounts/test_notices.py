"""In-app notices (docs/decisions/0033): one per reader with the case reference only, the unread count kept
with the user row (no query of its own on a page), the page and API that mark them read, emails with full
links, and the areas' notices (a provider hears of a new referral, the sender of the answer)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from palermo.accounts.models import Notice, User
from palermo.accounts.notice_kinds import KINDS
from palermo.accounts.roles import Role
from palermo.accounts.services.notices import notice_read, notices_read_all, notices_send
from palermo.assistance.services.referrals import REFERRAL_ANSWERED_NOTICE, REFERRAL_NEW_NOTICE
from palermo.audit.models import AuditEvent
from tests.api.errors import api_error
from tests.queries import Queries, assert_same_queries
from tests.worker import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db
KIND = REFERRAL_NEW_NOTICE


def unread(user: User) -> int:
    return User.objects.get(pk=user.pk).unread_notices


def test_a_notice_per_reader_with_its_count_and_an_email_with_the_full_link(
    staff, admin, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        notices = notices_send(
            user_ids=[staff.pk, staff.pk, admin.pk], kind=KIND, reference="NRM-ABCD-1234", path="/cases/x/"
        )
    assert len(notices) == 2
    assert unread(staff) == unread(admin) == 1
    assert AuditEvent.objects.filter(action="notice.create").count() == 1
    message = next(m for m in mail.outbox if m.to == [staff.email])
    assert "NRM-ABCD-1234" in message.subject
    assert "http://testserver/cases/x/" in message.body


def test_a_deactivated_account_gets_no_notice(staff, admin):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    assert [
        n.user_id for n in notices_send(user_ids=[staff.pk, admin.pk], kind=KIND, reference="R", path="")
    ] == [admin.pk]


def test_an_unknown_kind_is_refused(staff):
    with pytest.raises(ValueError):
        notices_send(user_ids=[staff.pk], kind="made.up", reference="R", path="")


def test_marking_read_once_and_all(staff):
    first, *_ = notices_send(user_ids=[staff.pk], kind=KIND, reference="R1", path="")
    notices_send(user_ids=[staff.pk], kind=KIND, reference="R2", path="")
    assert unread(staff) == 2
    notice_read(user=staff, notice=first)
    notice_read(user=staff, notice=first)
    assert unread(staff) == 1
    assert notices_read_all(user=staff) == 1
    assert unread(staff) == 0
    assert Notice.objects.filter(user=staff, read_at__isnull=True).count() == 0


def test_the_page_shows_the_count_and_marks_read(client_for, staff, make_member):
    notice, *_ = notices_send(user_ids=[staff.pk], kind=KIND, reference="NRM-ABCD-1234", path="/")
    other = make_member(Role.CASE_MANAGER)
    theirs, *_ = notices_send(user_ids=[other.pk], kind=KIND, reference="NRM-ZZZZ-9999", path="/")
    client = client_for(staff)

    page = client.get(reverse("accounts:notices")).content.decode()
    assert "A new referral was sent to your agency on case NRM-ABCD-1234." in page
    assert "NRM-ZZZZ-9999" not in page
    assert '1<span class="visually-hidden"> unread' in client.get("/").content.decode()

    assert client.post(reverse("accounts:notice_read", args=[theirs.pk])).status_code == 404
    opened = client.post(reverse("accounts:notice_read", args=[notice.pk]), {"open": "1"})
    assert opened["Location"] == "/"
    assert unread(staff) == 0
    assert " unread" not in client.get("/").content.decode()


def test_the_header_count_costs_no_query(client_for, staff):
    client = client_for(staff)
    client.get("/")
    with Queries() as few:
        client.get("/")
    notices_send(user_ids=[staff.pk], kind=KIND, reference="R", path="")
    with Queries() as many:
        assert " unread" in client.get("/").content.decode()
    assert_same_queries(few, many)


def test_the_api(client_for, staff, make_member):
    notice, *_ = notices_send(user_ids=[staff.pk], kind=KIND, reference="NRM-ABCD-1234", path="/x/")
    client = client_for(staff)
    rows = client.get(reverse("api-notices")).json()["results"]
    assert rows[0]["case_reference"] == "NRM-ABCD-1234" and rows[0]["read_at"] is None
    assert "NRM-ABCD-1234" in rows[0]["text"]
    assert client.get(reverse("api-me")).json()["unread_notices"] == 1
    other = make_member(Role.CASE_MANAGER)
    theirs, *_ = notices_send(user_ids=[other.pk], kind=KIND, reference="R", path="")
    api_error(client.post(reverse("api-notice-read", args=[theirs.pk])), 404, "not_found")
    assert client.post(reverse("api-notice-read", args=[notice.pk])).json()["read_at"] is not None
    assert client.post(reverse("api-notices-read-all")).status_code == 200
    assert unread(staff) == 0


def test_the_referral_kinds_are_worded():

    assert {
        REFERRAL_NEW_NOTICE,
        REFERRAL_ANSWERED_NOTICE,
        "break_glass",
        "guardian.decision",
        "case.referred",
    } <= set(KINDS)
