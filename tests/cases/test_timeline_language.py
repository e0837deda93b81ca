"""Each reader reads the timeline in their own language: an entry keeps its message and arguments beside the
text written in the deployment's language, and the case page translates both for the reader."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from palermo.cases.models import CaseEvent, EventKind, Phase
from palermo.cases.reference import CaseStatus
from palermo.cases.services.lifecycle import case_transition
from palermo.cases.services.notes import case_note_add
from palermo.cases.services.timeline import case_event_add, in_record_language
from tests.cases.casework import htmx, make_case, put_on_team

pytestmark = pytest.mark.django_db

STATUS = "Phase: %(phase)s; status: %(status)s"


@pytest.fixture
def case(manager):
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    return case


def source(label) -> str:
    with translation.override(None):
        return str(label)


def test_a_message_keeps_its_arguments_by_their_source_words(settings):
    settings.LANGUAGE_CODE = "ar"  # a deployment in Arabic writes its record in Arabic
    text = in_record_language(STATUS) % {"phase": Phase.REFLECTION.label, "status": CaseStatus.ACTIVE.label}
    assert text.startswith("المرحلة") and text.message == STATUS
    assert text.arguments == {
        "phase": source(Phase.REFLECTION.label),
        "status": source(CaseStatus.ACTIVE.label),
    }


def test_an_english_record_reads_in_arabic_on_the_case_page(client_for, manager, case):
    case_note_add(actor=manager, membership=manager.membership, case=case, body="synthetic", tier=1)
    case_transition(
        actor=manager, membership=manager.membership, case=case, name="start_reflection", expected_version=1
    )
    note, status = CaseEvent.objects.filter(case=case).order_by("pk")
    assert (note.summary, note.message) == ("Note added", "Note added")  # the record stays in English
    assert status.message == STATUS
    assert status.message_arguments == {
        "phase": source(Phase.REFLECTION.label),
        "status": source(CaseStatus(status.case.status).label),
    }
    url = reverse("cases:timeline", args=[case.reference])
    client = client_for(manager)
    client.cookies[settings_language_cookie()] = "ar"
    timeline = client.get(url, **htmx()).content.decode()
    with translation.override("ar"):
        assert note.summary_for_reader in timeline and status.summary_for_reader in timeline
        assert note.summary_for_reader == "أُضيفت ملاحظة"
        assert status.summary_for_reader.startswith("المرحلة: ")
        assert "Reflection" not in status.summary_for_reader and "Active" not in status.summary_for_reader
    assert "Note added" not in timeline and "Phase:" not in timeline


def note_entry(manager, case, summary):
    return case_event_add(
        actor=manager, membership=manager.membership, case=case, kind=EventKind.NOTE, tier=1, summary=summary
    )


def test_an_entry_written_without_a_message_reads_as_written(manager, case):
    event = note_entry(manager, case, "As typed")
    with translation.override("ar"):
        assert event.summary_for_reader == "As typed"


def settings_language_cookie() -> str:
    from django.conf import settings

    return settings.LANGUAGE_COOKIE_NAME


def test_the_record_keeps_the_deployment_language_whatever_the_writer_reads():
    with translation.override("ar"):  # the person acting reads Arabic; the deployment writes English
        text = in_record_language(STATUS) % {
            "phase": Phase.REFLECTION.label,
            "status": CaseStatus.ACTIVE.label,
        }
    assert str(text) == STATUS % {
        "phase": source(Phase.REFLECTION.label),
        "status": source(CaseStatus.ACTIVE.label),
    }


PERMIT = "Permit valid from %(start)s to %(end)s"


def test_a_day_is_kept_in_iso_and_read_in_words_in_the_readers_language(manager, case):
    start, end = datetime.date(2026, 12, 7), datetime.date(2027, 3, 7)
    event = note_entry(manager, case, in_record_language(PERMIT) % {"start": start, "end": end})
    event.refresh_from_db()
    assert event.summary == "Permit valid from 7 December 2026 to 7 March 2027"  # the record's words
    assert event.message_arguments == {"start": "2026-12-07", "end": "2027-03-07"}  # the days as data
    with translation.override("fr"):
        assert "7 décembre 2026" in event.summary_for_reader and "7 mars 2027" in event.summary_for_reader
    with translation.override("ar"):
        assert "ديسمبر" in event.summary_for_reader and "2026-12-07" not in event.summary_for_reader


def test_a_label_with_a_context_is_kept_with_it_and_read_in_it(manager, case):
    from palermo.residence.models import Outcome

    outcome = "Decision on the application (%(kind)s): %(outcome)s"
    event = note_entry(
        manager, case, in_record_language(outcome) % {"kind": "x", "outcome": Outcome.GRANTED.label}
    )
    event.refresh_from_db()
    assert event.summary.endswith(": Granted")
    assert event.message_arguments["outcome"] == "decision outcome\x04Granted"
    with translation.override("ar"):
        # The word alone ("granted") is also the name of a date elsewhere, which Arabic translates otherwise.
        assert translation.pgettext("decision outcome", "Granted") in event.summary_for_reader
        assert translation.gettext("granted") not in event.summary_for_reader
