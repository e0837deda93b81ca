"""Hearings and protection measures on the legal-status chart (issue 17), through the reader-dependent chart
sources of palermo.cases.dates: drawn for the readers the justice area is open to, never for a residence
decider (docs/decisions/0034), whose page and API answer carry no trace of them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from palermo.cases.dates import DateKind, chart_dates
from palermo.residence.chart import JUSTICE_LANE
from palermo.residence.legal_status import legal_status_chart
from tests.justice.conftest import add_measure, assess, days_ago, member, open_proceeding, schedule

pytestmark = pytest.mark.django_db

TRACES = (str(JUSTICE_LANE), str(DateKind.HEARING.label), "Protection measure")


@pytest.fixture
def case_in_proceedings(team_case, prosecutor, protector):
    schedule(prosecutor, team_case, open_proceeding(prosecutor, team_case), days=20)
    assess(protector, team_case)
    add_measure(protector, team_case, starts_on=days_ago(3))
    return team_case


def test_readers_of_the_area_see_the_hearing_and_the_measure(
    case_in_proceedings, prosecutor, manager, protector, lawyer
):
    for user in (prosecutor, manager):
        chart = legal_status_chart(case_in_proceedings, [], [], member(user))
        assert chart.lanes[-1] == JUSTICE_LANE
        assert [str(m.label) for m in chart.markers] == [str(DateKind.HEARING.label)]
        assert [str(s.label) for s in chart.spans] == ["Protection measure"]
        assert chart.spans[0].open_ended and chart.spans[0].start == days_ago(3)
    # Each duty its own: the lawyer reads the proceedings, not the protection plan.
    kinds = {d.kind for d in chart_dates(case_in_proceedings, member(lawyer))}
    assert kinds == {DateKind.HEARING}


def test_the_page_and_the_api_draw_them_for_the_prosecutor(case_in_proceedings, prosecutor, client_for):
    client = client_for(prosecutor)
    ref = case_in_proceedings.reference
    section = client.get(reverse("residence:section", args=[ref]), HTTP_HX_REQUEST="true").content.decode()
    assert all(trace in section for trace in TRACES)
    rows = client.get(reverse("api-residence-status", args=[ref])).json()
    assert str(DateKind.HEARING.label) in {row["what"] for row in rows}


def test_a_residence_decider_sees_nothing_of_them(case_in_proceedings, officer, client_for):
    assert chart_dates(case_in_proceedings, member(officer)) == []
    chart = legal_status_chart(case_in_proceedings, [], [], member(officer))
    assert JUSTICE_LANE not in chart.lanes and chart.empty
    # Without a reader (nobody to say what they may see) none either.
    assert chart_dates(case_in_proceedings) == []
    client = client_for(officer)
    ref = case_in_proceedings.reference
    section = client.get(reverse("residence:section", args=[ref]), HTTP_HX_REQUEST="true").content.decode()
    assert not [trace for trace in TRACES if trace in section]
    # The whole case page draws the same chart. (Its timeline lists the area's entries by title, "Hearing
    # scheduled", a matter of the timeline's own, outside the chart.)
    page = client.get(reverse("cases:detail_full", args=[ref])).content.decode()
    assert str(JUSTICE_LANE) not in page and str(DateKind.HEARING.label) not in page
    answer = client.get(reverse("api-residence-status", args=[ref]))
    assert answer.status_code == 200
    assert not [trace for trace in TRACES if trace in answer.content.decode()]


def test_the_timeline_and_the_deadlines_keep_the_area_from_a_residence_decider(
    case_in_proceedings, officer, prosecutor, client_for
):
    """The area's timeline entries ("Hearing scheduled") and deadlines (the hearing, the measures to ask for,
    the risk review) tell that there are proceedings: a reader without the duty gets none of them, on the
    case page, the timeline's own page and the API, and not on their due list (palermo.cases.duties)."""
    ref = case_in_proceedings.reference
    traces = ("Hearing scheduled", "Hearing in proceedings", "Risk assessment")
    for user, sees in ((prosecutor, True), (officer, False)):
        client = client_for(user)
        page = client.get(reverse("cases:detail_full", args=[ref])).content.decode()
        timeline = client.get(reverse("cases:timeline", args=[ref]), HTTP_HX_REQUEST="true").content.decode()
        api = client.get(reverse("api-case-timeline", args=[ref])).content.decode()
        assert ("Hearing scheduled" in timeline) is sees
        assert ("Hearing scheduled" in api) is sees
        due = client.get(reverse("api-deadlines"), {"scope": "agency"}).json()["results"]
        assert ("justice.hearing" in {row["kind"] for row in due}) is sees
        if not sees:
            assert not [trace for trace in traces if trace in page]
