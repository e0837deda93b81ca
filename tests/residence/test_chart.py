"""The legal-status picture as geometry: lanes, bars within the plot, markers on their lane, today's line,
ticks that stay few over long spans; and the identification decisions drawn on the case page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from palermo.accounts.roles import Role
from palermo.identification.services.decisions import DecisionInput, decision_take
from palermo.residence.chart import (
    MARGIN,
    NARROW_WIDTH,
    WIDTH,
    IdentificationMark,
    _ticks,
    draw,
    status_chart,
    table_rows,
)
from tests.queries import Queries

TODAY = datetime.date(2026, 6, 15)


def test_an_empty_chart_is_empty():
    assert status_chart(reflection=None, applications=[], permits=[], today=TODAY).empty


PLOT_RIGHT = WIDTH - MARGIN


def period_chart():
    return status_chart(
        reflection=(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        applications=[],
        permits=[],
        today=TODAY,
        identification=[
            IdentificationMark("Presumed victim decision: positive", datetime.date(2026, 1, 1), True)
        ],
    )


def test_geometry_stays_inside_the_plot():
    chart = period_chart()
    drawing = draw(chart)
    (bar,) = drawing.bars
    (marker,) = drawing.markers
    assert MARGIN <= bar["x"] < bar["x"] + bar["width"] <= PLOT_RIGHT
    # Each lane's name stands above its bars, from the start of the line: never cut, whatever its length.
    assert all(lane["x"] == MARGIN and lane["y"] < bar["y"] for lane in drawing.lanes[:2])
    assert marker["x"] == bar["x"]  # the decision opened the period that day
    assert marker["y"] < bar["y"]  # identification is the lane above the reflection period
    assert bar["x"] + bar["width"] < drawing.today_x <= PLOT_RIGHT
    assert [row.label for row in table_rows(chart)] == [
        "Presumed victim decision: positive",
        "Reflection period",
    ]


def test_right_to_left_mirrors_time_and_starts_the_names_at_the_right():
    chart = period_chart()
    ltr, rtl = draw(chart), draw(chart, rtl=True)
    (forward,), (mirrored,) = ltr.bars, rtl.bars
    assert mirrored["width"] == forward["width"]
    assert mirrored["x"] == pytest.approx(WIDTH - (forward["x"] + forward["width"]), abs=0.2)
    assert rtl.today_x == pytest.approx(WIDTH - ltr.today_x, abs=0.2) and rtl.today_x < mirrored["x"]
    assert {lane["x"] for lane in rtl.lanes} == {PLOT_RIGHT}


def test_the_narrow_drawing_for_phones_keeps_to_its_width_with_fewer_ticks():
    chart = status_chart(
        reflection=(datetime.date(2022, 1, 1), datetime.date(2022, 3, 31)),
        applications=[],
        permits=[],
        today=TODAY,
    )
    narrow = draw(chart, width=NARROW_WIDTH, most_ticks=4)
    assert narrow.width == NARROW_WIDTH and 0 < len(narrow.ticks) <= 4
    assert all(MARGIN <= tick["x"] <= NARROW_WIDTH - MARGIN for tick in narrow.ticks)
    assert MARGIN <= narrow.today_x <= NARROW_WIDTH - MARGIN


def test_ticks_stay_few_over_long_spans():
    assert len(_ticks(datetime.date(2026, 1, 10), datetime.date(2026, 4, 1))) == 3
    years = _ticks(datetime.date(2015, 1, 10), datetime.date(2026, 4, 1))
    assert all(day.month == 1 for day in years) and len(years) == 6  # every other year of eleven
    assert len(_ticks(datetime.date(2015, 1, 10), datetime.date(2026, 4, 1), most=4)) == 4


@pytest.mark.django_db
def test_the_case_page_marks_identification_decisions(
    make_case, manager, make_member, client_for, django_capture_on_commit_callbacks
):
    authority = make_member(Role.IDENTIFICATION_AUTHORITY)
    case = make_case(team=(manager, authority))
    data = DecisionInput("positive", ["indicators"], "The indicators of deception are met.")
    with django_capture_on_commit_callbacks(execute=True):  # the reflection period opens after commit
        decision_take(actor=authority, membership=authority.membership, case=case, kind="presumed", data=data)
    client = client_for(manager)
    with Queries() as queries:
        response = client.get(reverse("residence:section", args=[case.reference]), HTTP_HX_REQUEST="true")
    section = response.content.decode()
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert len(re.findall(r"<circle ", svg)) == 1 and len(re.findall(r"<rect x=", svg)) == 1
    assert "Presumed victim (reasonable grounds): Positive" in section
    # Kinds, outcomes and days are drawn: the decisions' grounds and reasons (T4) are not even read.
    sql = " ".join(queries.sql)
    for column in ('identificationdecision"."grounds', 'identificationdecision"."reasons'):
        assert column not in sql
