"""Each reader reads the decisions the guardian was told about in their own language: a notice keeps its
label's message and arguments beside the label written in the deployment's language (which its email
says), as a timeline entry does."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from palermo.children.models import GuardianNotice
from palermo.core.decisions import DecisionRecorded, DecisionSubject, decision_recorded
from palermo.core.text import in_record_language
from tests.children.conftest import appoint, determine, status_decide
from tests.reading import in_arabic_only, said_in

pytestmark = pytest.mark.django_db


def told(manager, guardian, case, capture, decide) -> GuardianNotice:
    """The guardian told of `decide`'s decision (after the determination a legal status decision needs)."""
    appoint(manager, case, guardian)
    with capture(execute=True):
        if decide is not determine:
            determine(manager, case)
        decide(manager, case)
    return GuardianNotice.objects.latest("pk")


def test_a_decision_and_what_was_decided_read_in_each_language(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    notice = told(manager, guardian, child_case, django_capture_on_commit_callbacks, status_decide)
    assert notice.label == "Decision on the child's legal status: Temporary residence"  # the record's words
    assert notice.message == "%(decision)s: %(outcome)s"
    assert notice.message_arguments == {
        "decision": "Decision on the child's legal status",
        "outcome": "Temporary residence",
    }
    said = said_in("ar", lambda: notice.label_for_reader)
    assert in_arabic_only(said), said
    french = said_in("fr", lambda: notice.label_for_reader)
    assert french.startswith("Décision") and " : " in french


def test_a_decision_without_an_outcome_reads_in_each_language(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    notice = told(manager, guardian, child_case, django_capture_on_commit_callbacks, determine)
    assert (notice.label, notice.message) == ("Best-interest determination", "Best-interest determination")
    assert in_arabic_only(said_in("ar", lambda: notice.label_for_reader))


def test_another_areas_decision_keeps_its_message(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    appoint(manager, child_case, guardian)
    with django_capture_on_commit_callbacks(execute=True):
        decision_recorded(
            DecisionRecorded(
                case_id=child_case.pk,
                subject=DecisionSubject.IDENTIFICATION,
                label=in_record_language("Presumed victim decision: positive"),
                object_type="identification_decision",
                object_id=1,
                decided_at=child_case.opened_at,
            )
        )
    notice = GuardianNotice.objects.get(case=child_case)
    assert notice.message == "Presumed victim decision: positive"
    assert in_arabic_only(said_in("ar", lambda: notice.label_for_reader))


def test_a_notice_kept_without_a_message_reads_as_kept(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    notice = told(manager, guardian, child_case, django_capture_on_commit_callbacks, determine)
    GuardianNotice.objects.filter(pk=notice.pk).update(label="As kept", message="", message_arguments={})
    notice.refresh_from_db()
    with translation.override("ar"):
        assert notice.label_for_reader == "As kept"


def test_the_case_page_lists_the_notices_in_the_readers_language(
    django_capture_on_commit_callbacks, client_for, manager, guardian, child_case
):
    notice = told(manager, guardian, child_case, django_capture_on_commit_callbacks, status_decide)
    client = client_for(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("cases:detail_full", args=[child_case.reference])).content.decode()
    with translation.override("ar"):
        assert notice.label_for_reader in page
    assert notice.label not in page


def test_the_migration_gives_earlier_identification_notices_their_message(
    django_capture_on_commit_callbacks, manager, guardian, child_case
):
    """Migration 0006 of children: identification labels were kept as their message's source text."""
    migration = import_module("palermo.children.migrations.0006_guardian_notice_message")
    notice = told(manager, guardian, child_case, django_capture_on_commit_callbacks, determine)
    GuardianNotice.objects.filter(pk=notice.pk).update(label="Presumed victim decision: positive", message="")
    migration.identification_labels_are_messages(django_apps, None)
    notice.refresh_from_db()
    assert notice.message == "Presumed victim decision: positive"
