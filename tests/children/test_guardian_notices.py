"""The guardian's notice of a decision on the task queue: the in-app notice is kept and its email queued once
the decision commits (with the notice's id only), nothing when it rolls back, and the worker emails it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from palermo.children import notifications
from palermo.children.models import GuardianNotice
from tests.children.conftest import appoint, determine
from tests.worker import queued, run_worker

pytestmark = pytest.mark.django_db


def test_the_email_is_a_task_queued_on_commit_with_the_notice_id_only(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    appoint(manager, child_case, guardian)
    with django_capture_on_commit_callbacks(execute=True):
        determine(manager, child_case)
        assert not GuardianNotice.objects.exists() and not queued(notifications.send_guardian_notice)
    notice = GuardianNotice.objects.get(case=child_case)
    (task,) = queued(notifications.send_guardian_notice, "READY")
    assert task.args_kwargs == {"args": [notice.pk], "kwargs": {}}
    assert not mail.outbox and not notice.emailed, "the worker sends it, not the request"


def test_nothing_is_kept_or_queued_when_the_decision_rolls_back(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    appoint(manager, child_case, guardian)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        determine(manager, child_case)
        raise RuntimeError("the request fails after the decision")
    assert callbacks == []
    assert not GuardianNotice.objects.exists() and not queued(notifications.send_guardian_notice)
    assert not mail.outbox


@pytest.mark.django_db(transaction=True)
def test_the_worker_emails_the_guardian_and_marks_the_notice(manager, guardian, child_case):
    appoint(manager, child_case, guardian)
    determine(manager, child_case)
    notice = GuardianNotice.objects.get(case=child_case)
    assert not mail.outbox and not notice.emailed

    run_worker()

    (done,) = queued(notifications.send_guardian_notice, "SUCCESSFUL")
    assert done.return_value == 1
    (message,) = mail.outbox
    assert message.to == [guardian.email] and child_case.reference in message.subject
    notice.refresh_from_db()
    assert notice.emailed


@pytest.mark.django_db(transaction=True)
def test_a_guardian_without_an_address_keeps_the_in_app_notice_only(manager, guardian, child_case):
    guardian.email = ""
    guardian.save(update_fields=["email"])
    appoint(manager, child_case, guardian)
    determine(manager, child_case)

    run_worker()

    assert not mail.outbox
    assert GuardianNotice.objects.filter(case=child_case, emailed=False).count() == 1
