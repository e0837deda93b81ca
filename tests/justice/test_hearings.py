"""A hearing's end: held, put off to another day (its deadlines follow it, each adjournment kept with its
reason) or cancelled (its deadlines end), for every case called to it; through the services, the proceeding's
page and the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from palermo.audit.models import AuditEvent
from palermo.cases.dates import DateKind, person_dates
from palermo.cases.models import CaseEvent, EventKind
from palermo.core.concurrency import StaleEdit
from palermo.core.rulebooks import rulebook
from palermo.deadlines.models import Deadline
from palermo.justice.models import Adjournment, Hearing, HearingStatus, Stage
from palermo.justice.selectors import chart_dates
from palermo.justice.services import proceedings
from palermo.justice.services.common import HEARING_KIND, MEASURES_REQUEST_KIND
from tests.api.errors import api_error
from tests.justice.conftest import member, open_proceeding, schedule

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def on_hearing(service, prosecutor, case, hearing, **values) -> Hearing:
    """A change to the hearing through `service`, at the version it is now."""
    hearing.refresh_from_db()
    who = {"actor": prosecutor, "membership": member(prosecutor), "case": case}
    return service(**who, hearing=hearing, expected_version=hearing.version, **values)


def adjourn(prosecutor, case, hearing, days: int, reason: str = "interpreter") -> Hearing:
    return on_hearing(
        proceedings.hearing_adjourn, prosecutor, case, hearing, to_day=in_days(days), reason=reason
    )


def cancel(prosecutor, case, hearing) -> Hearing:
    return on_hearing(proceedings.hearing_cancel, prosecutor, case, hearing)


def open_deadlines(case) -> dict[str, datetime.date]:
    return {
        d.kind: timezone.localtime(d.due_at).date()
        for d in Deadline.objects.filter(case=case, done_at__isnull=True, kind__startswith="justice.hearing")
    }


@pytest.fixture
def two_called(team_case, make_case, prosecutor, protector):
    """A hearing of proceedings two cases take part in, due in three days."""
    other = make_case(team=(prosecutor, protector))
    proceeding = open_proceeding(prosecutor, team_case)
    proceedings.proceeding_join(
        actor=prosecutor, membership=member(prosecutor), case=other, proceeding=proceeding, role="witness"
    )
    return schedule(prosecutor, team_case, proceeding, days=3), other


def test_a_hearing_put_off_takes_every_case_s_deadlines_to_its_new_day(team_case, prosecutor, two_called):
    hearing, other = two_called
    proceedings.hearing_measure_request(
        actor=prosecutor, membership=member(prosecutor), case=team_case, hearing=hearing, kind="video_link"
    )
    moved = adjourn(prosecutor, team_case, hearing, days=60, reason="accused_absent")

    assert moved.held_on == in_days(60) and moved.status == HearingStatus.SCHEDULED
    asking_by = in_days(60 - rulebook().justice.hearing_measures_days)
    # Measures asked already for this case: that deadline stays done. The other case has asked none yet.
    assert open_deadlines(team_case) == {HEARING_KIND: in_days(60)}
    assert open_deadlines(other) == {HEARING_KIND: in_days(60), MEASURES_REQUEST_KIND: asking_by}
    kept = Adjournment.objects.get()
    assert (kept.from_day, kept.to_day, kept.reason) == (in_days(3), in_days(60), "accused_absent")
    assert kept.recorded_by == prosecutor
    assert [d.on for d in person_dates(other) if d.kind == DateKind.HEARING] == [in_days(60)]
    summaries = CaseEvent.objects.filter(case=team_case, kind=EventKind.PROCEEDINGS).values_list(
        "summary", flat=True
    )
    assert "Hearing put off to another day" in summaries
    assert AuditEvent.objects.filter(action="justice.hearing_adjourn").count() == 1

    adjourn(prosecutor, team_case, moved, days=90, reason="court")
    assert list(Adjournment.objects.values_list("from_day", "to_day")) == [
        (in_days(3), in_days(60)),
        (in_days(60), in_days(90)),
    ]


def test_a_hearing_is_put_off_only_to_a_later_day_for_a_reason_and_at_the_version_read(
    team_case, prosecutor, two_called
):
    hearing, _other = two_called
    for days, reason, message in (
        (3, "court", "must come after"),
        (1, "court", "must come after"),
        (30, "", "Choose why"),
    ):
        with pytest.raises(ValidationError, match=message):
            adjourn(prosecutor, team_case, hearing, days=days, reason=reason)
    with pytest.raises(ValidationError, match="new day"):
        proceedings.hearing_adjourn(
            actor=prosecutor,
            membership=member(prosecutor),
            case=team_case,
            hearing=hearing,
            to_day=None,
            reason="court",
            expected_version=hearing.version,
        )
    read_at = hearing.version
    adjourn(prosecutor, team_case, hearing, days=30)
    with pytest.raises(StaleEdit):
        proceedings.hearing_adjourn(
            actor=prosecutor,
            membership=member(prosecutor),
            case=team_case,
            hearing=hearing,
            to_day=in_days(40),
            reason="court",
            expected_version=read_at,
        )
    assert Adjournment.objects.count() == 1


def test_a_hearing_cancelled_ends_every_case_s_deadlines_and_ends_there(
    team_case, prosecutor, manager, two_called
):
    hearing, other = two_called
    cancel(prosecutor, team_case, hearing)

    assert Hearing.objects.get().status == HearingStatus.CANCELLED
    assert open_deadlines(team_case) == {} and open_deadlines(other) == {}
    assert not [d for d in person_dates(team_case) if d.kind == DateKind.HEARING]
    assert not [d for d in chart_dates(team_case, member(manager)) if d.kind == DateKind.HEARING]
    assert AuditEvent.objects.filter(action="justice.hearing_cancel").count() == 1
    for again in (
        lambda h: adjourn(prosecutor, team_case, h, days=30),
        lambda h: cancel(prosecutor, team_case, h),
    ):
        with pytest.raises(ValidationError, match="cancelled"):
            again(hearing)


def test_a_hearing_held_is_neither_put_off_nor_cancelled(team_case, prosecutor):
    hearing = schedule(prosecutor, team_case, open_proceeding(prosecutor, team_case), days=0)
    proceedings.hearing_held(
        actor=prosecutor,
        membership=member(prosecutor),
        case=team_case,
        hearing=hearing,
        expected_version=hearing.version,
    )
    with pytest.raises(ValidationError, match="held"):
        adjourn(prosecutor, team_case, hearing, days=30)
    with pytest.raises(ValidationError, match="held"):
        cancel(prosecutor, team_case, hearing)


def test_closing_the_proceedings_cancels_the_hearings_to_come(team_case, prosecutor):
    proceeding = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, proceeding, days=20)
    proceedings.proceeding_update(
        actor=prosecutor,
        membership=member(prosecutor),
        case=team_case,
        proceeding=proceeding,
        stage=Stage.CLOSED,
        outcome="acquitted",
        expected_version=proceeding.version,
    )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.CANCELLED and open_deadlines(team_case) == {}


def test_only_a_writer_of_proceedings_puts_a_hearing_off(team_case, prosecutor, manager, two_called):
    hearing, _other = two_called
    with pytest.raises(Exception) as refused:
        adjourn(manager, team_case, hearing, days=30)
    assert refused.type.__name__ in {"PermissionDenied", "Http404"}
    assert Adjournment.objects.count() == 0


# --- the proceeding's page ---


def proceeding_page(client, case, hearing) -> str:
    return client.get(
        reverse("justice:proceeding", args=[case.reference, hearing.proceeding_id])
    ).content.decode()


def test_the_prosecutor_puts_a_hearing_off_and_cancels_another_on_the_page(client_for, prosecutor, team_case):
    proceeding = open_proceeding(prosecutor, team_case)
    first = schedule(prosecutor, team_case, proceeding, days=5)
    second = schedule(prosecutor, team_case, proceeding, days=9)
    client = client_for(prosecutor)
    page = proceeding_page(client, team_case, first)
    assert "The hearing was put off to another day" in page and "The hearing will not take place" in page
    assert "The hearing took place" not in page  # not before its day

    answer = client.post(
        reverse("justice:adjourn", args=[team_case.reference, first.pk]),
        {"to_day": in_days(40).isoformat(), "reason": "interpreter", "version": first.version},
        follow=True,
    )
    text = answer.content.decode()
    assert answer.redirect_chain and "Hearing put off to its new day" in text
    assert "Put off 1 time:" in text and "No interpreter was available" in text and "interpreter<" not in text

    answer = client.post(
        reverse("justice:cancel", args=[team_case.reference, second.pk]),
        {"version": second.version},
        follow=True,
    )
    assert answer.redirect_chain and "Hearing cancelled" in answer.content.decode()
    second.refresh_from_db()
    assert second.status == HearingStatus.CANCELLED and "cancelled</span>" in answer.content.decode()


def test_the_area_page_gives_each_proceeding_s_next_hearing_and_how_often_it_was_put_off(
    client_for, manager, prosecutor, team_case
):
    first = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, first, days=5)
    adjourn(prosecutor, team_case, hearing, days=20)
    adjourn(prosecutor, team_case, hearing, days=40)
    schedule(prosecutor, team_case, first, days=60)
    cancel(prosecutor, team_case, schedule(prosecutor, team_case, open_proceeding(prosecutor, team_case)))
    page = client_for(manager).get(reverse("justice:section", args=[team_case.reference])).content.decode()
    rows = page.split("<caption>Proceedings the person takes part in</caption>")[1].split("</table>")[0]
    first_row, second_row = rows.split("<tr><th")[2:4]
    assert f'datetime="{in_days(40).isoformat()}"' in first_row and "put off 2 times" in first_row
    assert "None scheduled" in second_row  # its only hearing was cancelled


def test_a_hearing_form_sent_with_errors_shows_them_on_its_own_hearing(client_for, prosecutor, team_case):
    proceeding = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, proceeding, days=5)
    schedule(prosecutor, team_case, proceeding, days=9)
    client = client_for(prosecutor)
    answer = client.post(
        reverse("justice:adjourn", args=[team_case.reference, hearing.pk]),
        {"to_day": in_days(2).isoformat(), "reason": "court", "version": hearing.version},
    )
    text = answer.content.decode()
    assert answer.status_code == 400 and "There is a problem" in text
    assert "The new day must come after the day the hearing was set for." in text
    assert text.count('<details class="mb-3" open>') == 1  # the one form sent, opened on its hearing
    assert f'id="id_adjourn{hearing.pk}_to_day"' in text and Adjournment.objects.count() == 0

    # Held before its day (a page read yesterday): the refusal is shown, not lost.
    answer = client.post(
        reverse("justice:held", args=[team_case.reference, hearing.pk]), {"version": hearing.version}
    )
    text = answer.content.decode()
    assert answer.status_code == 400 and "A hearing cannot be held before its day." in text


# --- the API ---


def api_url(name: str, case, pk: int) -> str:
    return reverse(name, args=[case.reference, pk])


def test_a_hearing_put_off_and_cancelled_through_the_api(client_for, prosecutor, team_case):
    proceeding = open_proceeding(prosecutor, team_case)
    hearing = schedule(prosecutor, team_case, proceeding, days=5)
    later = schedule(prosecutor, team_case, proceeding, days=7)
    client = client_for(prosecutor)

    def post(name: str, target, **body):
        return client.post(
            api_url(name, team_case, target.pk),
            {"version": target.version, **body},
            content_type="application/json",
        )

    answer = post("api-justice-adjourn", hearing, to_day=in_days(30).isoformat(), reason="defence")
    assert answer.status_code == 200, answer.content
    shown = {h["id"]: h for h in answer.json()["hearings"]}
    assert (shown[hearing.pk]["held_on"], shown[hearing.pk]["status"]) == (
        in_days(30).isoformat(),
        "scheduled",
    )
    assert shown[hearing.pk]["adjournments"] == [
        {"from_day": in_days(5).isoformat(), "to_day": in_days(30).isoformat(), "reason": "defence"}
    ]
    api_error(post("api-justice-adjourn", hearing, to_day=in_days(40).isoformat(), reason="defence"), 409)
    refused = api_error(
        post("api-justice-adjourn", later, to_day=in_days(1).isoformat(), reason="defence"), 400
    )
    assert list(refused["fields"]) == ["to_day"]
    answer = post("api-justice-cancel", later)
    assert answer.status_code == 200, answer.content
    shown = {h["id"]: h for h in answer.json()["hearings"]}
    assert shown[later.pk]["status"] == "cancelled" and shown[later.pk]["held"] is False


def test_a_residence_decider_cannot_put_off_or_cancel_a_hearing(client_for, officer, prosecutor, team_case):
    hearing = schedule(prosecutor, team_case, open_proceeding(prosecutor, team_case), days=5)
    client = client_for(officer)
    for name in ("justice:adjourn", "justice:cancel", "api-justice-adjourn", "api-justice-cancel"):
        answer = client.post(
            reverse(name, args=[team_case.reference, hearing.pk]),
            {"to_day": in_days(30).isoformat(), "reason": "court", "version": hearing.version},
        )
        assert answer.status_code == 404, name
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED and hearing.held_on == in_days(5)
