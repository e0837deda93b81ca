"""The picture of a person's legal status over time, for the case page: one lane each for the reflection
period, applications for residence, asylum, and permits, with decisions as markers and a line for today.

Drawn on the server as inline SVG (no script; colours are SVG presentation attributes, since the content
security policy forbids inline style) from plain geometry computed here, and given with a table that says the
same thing for screen readers and for print. Everything on it is case metadata (T1: dates, kinds, statuses,
outcomes); reasons and the country of resettlement never appear.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.cases.dates import DateKind, PersonDate
from palermo.residence.models import Application, ApplicationKind, ApplicationStatus, Outcome, Permit

WIDTH = 720
NARROW_WIDTH = 360  # drawn for phones: at 390 px a 720-wide drawing would shrink its text to 6 px
MARGIN = 10
# Each lane's name stands above its bars, across the whole width: a name never runs out of the drawing,
# however long it is in the reader's language, and bars use the whole width too.
LANE_LABEL = 16
LANE_HEIGHT = 44
BAR_HEIGHT = 18
TOP = 4
AXIS_SPACE = 30
MIN_SPAN_DAYS = 60
COLOURS = {
    "reflection": "#0d6efd",
    "application": "#6c757d",
    "asylum": "#6f42c1",
    "permit": "#198754",
    "granted": "#198754",
    "refused": "#dc3545",
    "return": "#fd7e14",
    "justice": "#20c997",
}


@dataclass(frozen=True)
class Span:
    """One interval on a lane: what it is, from, to (inclusive), and how to show it."""

    lane: int
    label: str | Promise
    start: datetime.date
    end: datetime.date
    status: str | Promise
    colour: str
    open_ended: bool = False  # still running: drawn up to today, hatched


@dataclass(frozen=True)
class Marker:
    lane: int
    label: str | Promise
    day: datetime.date
    colour: str


@dataclass
class Chart:
    lanes: list[str | Promise]
    spans: list[Span] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def empty(self) -> bool:
        return not self.spans and not self.markers


LANES = [
    _("Victim identification"),
    _("Reflection period"),
    _("Residence applications"),
    _("Asylum"),
    _("Permits"),
]
IDENTIFICATION, REFLECTION, APPLICATIONS, ASYLUM, PERMITS = range(5)
# Drawn only on a case with a planned return or follow-ups after one (the returns area's dates).
RETURN_LANE = _("Return and follow-up")
# Drawn only for a reader of the justice area, on a case with hearings or protection measures.
JUSTICE_LANE = _("Proceedings and protection")
# The lane each kind of the chart sources' dates is drawn on (others: the return lane).
DATE_LANES = {DateKind.HEARING: JUSTICE_LANE, DateKind.PROTECTION_ENDS: JUSTICE_LANE}


@dataclass(frozen=True)
class IdentificationMark:
    """A presumed or identified victim decision: its label ("Presumed victim decision: positive"), day and
    whether it was positive."""

    label: str | Promise
    day: datetime.date
    positive: bool


def _decided_on(application: Application) -> datetime.date | None:
    decisions = list(application.decisions.all())
    return decisions[-1].decided_on if decisions else None


def _application_spans(application: Application, today: datetime.date) -> tuple[list[Span], list[Marker]]:
    lane = ASYLUM if application.kind == ApplicationKind.ASYLUM else APPLICATIONS
    colour = COLOURS["asylum" if lane == ASYLUM else "application"]
    running = application.is_open
    last = today if running else (_decided_on(application) or application.lodged_on)
    status = ApplicationStatus(application.status).label
    spans = [
        Span(
            lane,
            ApplicationKind(application.kind).label,
            application.lodged_on,
            max(last, application.lodged_on),
            status,
            colour,
            running,
        )
    ]
    markers = [
        Marker(
            lane,
            _("Decision: %(outcome)s") % {"outcome": Outcome(decision.outcome).label},
            decision.decided_on,
            COLOURS["granted" if decision.granted else "refused"],
        )
        for decision in application.decisions.all()
    ]
    return spans, markers


def _add_dates(chart: Chart, dates: Sequence[PersonDate], today: datetime.date) -> None:
    """The chart sources' dates, each on its kind's lane (added when it has something to draw): a day as a
    marker; a protection measure as a span from its start (`since`) to its end (`on`; up to today while it
    has none)."""
    for date in dates:
        lane_name = DATE_LANES.get(DateKind(date.kind), RETURN_LANE)
        span = date.kind == DateKind.PROTECTION_ENDS and date.since is not None
        if date.on is None and not span:
            continue
        if lane_name not in chart.lanes:
            chart.lanes.append(lane_name)
        lane = chart.lanes.index(lane_name)
        colour = COLOURS["return" if lane_name == RETURN_LANE else "justice"]
        label = DateKind(date.kind).label
        if span:
            assert date.since is not None  # noqa: S101  (checked above)
            end = date.on or max(today, date.since)
            status = _("in place") if date.since <= today <= end else _("not in place today")
            chart.spans.append(
                Span(lane, _("Protection measure"), date.since, end, status, colour, date.on is None)
            )
        else:
            assert date.on is not None  # noqa: S101  (checked above)
            chart.markers.append(Marker(lane, label, date.on, colour))


def status_chart(
    *,
    reflection: tuple[datetime.date, datetime.date] | None,
    applications: Sequence[Application],
    permits: Sequence[Permit],
    today: datetime.date,
    identification: Sequence[IdentificationMark] = (),
    returns: Sequence[PersonDate] = (),
) -> Chart:
    chart = Chart(lanes=list(LANES), today=today)
    _add_dates(chart, returns, today)
    for mark in identification:
        colour = COLOURS["granted" if mark.positive else "refused"]
        chart.markers.append(Marker(IDENTIFICATION, mark.label, mark.day, colour))
    if reflection is not None:
        start, end = reflection
        status = _("running") if start <= today <= end else _("over")
        chart.spans.append(Span(REFLECTION, LANES[REFLECTION], start, end, status, COLOURS["reflection"]))
    for application in applications:
        spans, markers = _application_spans(application, today)
        chart.spans.extend(spans)
        chart.markers.extend(markers)
    for permit in permits:
        status = _("valid") if permit.valid_from <= today <= permit.valid_to else _("not valid today")
        chart.spans.append(
            Span(
                PERMITS,
                permit.get_kind_display(),
                permit.valid_from,
                permit.valid_to,
                status,
                COLOURS["permit"],
            )
        )
    return chart


@dataclass(frozen=True)
class Drawing:
    """The chart as SVG geometry: every number the template needs, already computed."""

    width: int
    height: int
    rtl: bool  # time runs from right to left, and the lanes' names start at the right
    lanes: list[dict[str, Any]]
    bars: list[dict[str, Any]]
    markers: list[dict[str, Any]]
    ticks: list[dict[str, Any]]
    today_x: float
    axis_y: int


def _ticks(first: datetime.date, last: datetime.date, most: int = 8) -> list[datetime.date]:
    """Month starts, thinned to at most about `most`, or year starts for long spans."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    step = max(1, -(-len(months) // most))
    if step >= 12:
        years = [month for month in months if month.month == 1]
        return years[:: max(1, -(-len(years) // most))]
    return months[::step]


def _days_shown(chart: Chart) -> tuple[datetime.date, datetime.date]:
    days = [span.start for span in chart.spans] + [span.end for span in chart.spans]
    days += [marker.day for marker in chart.markers] + [chart.today]
    first, last = min(days), max(days)
    if (last - first).days < MIN_SPAN_DAYS:
        last = first + datetime.timedelta(days=MIN_SPAN_DAYS)
    return first - datetime.timedelta(days=7), last + datetime.timedelta(days=7)


def draw(chart: Chart, *, width: int = WIDTH, rtl: bool = False, most_ticks: int = 8) -> Drawing:
    """The drawing `width` units wide; in a right-to-left language mirrored, as its readers read time."""
    first, last = _days_shown(chart)
    left, right = MARGIN, width - MARGIN
    scale = (right - left) / (last - first).days

    def x(day: datetime.date) -> float:
        offset = (day - first).days * scale
        return round(right - offset if rtl else left + offset, 1)

    def lane_top(lane: int) -> int:
        return TOP + lane * LANE_HEIGHT

    def bar_y(lane: int) -> int:
        return lane_top(lane) + LANE_LABEL + (LANE_HEIGHT - LANE_LABEL - BAR_HEIGHT) // 2

    def bar(span: Span) -> dict[str, Any]:
        edges = (x(span.start), x(span.end + datetime.timedelta(days=1)))
        return {
            "x": min(edges),
            "y": bar_y(span.lane),
            "width": max(round(abs(edges[1] - edges[0]), 1), 2),
            "height": BAR_HEIGHT,
            "colour": span.colour,
            "open_ended": span.open_ended,
            "title": f"{span.label}: {date_format(span.start)} \u2013 {date_format(span.end)}"
            f" ({span.status})",
        }

    markers = [
        {
            "x": x(marker.day),
            "y": bar_y(marker.lane) + BAR_HEIGHT // 2,
            "colour": marker.colour,
            "title": f"{marker.label}, {date_format(marker.day)}",
        }
        for marker in chart.markers
    ]
    axis_y = lane_top(len(chart.lanes))
    ticks = [{"x": x(day), "label": date_format(day, "M Y")} for day in _ticks(first, last, most_ticks)]
    label_x = right if rtl else left  # where a name starts: text-anchor "start" in the drawing's direction
    lanes = [
        {"label": label, "x": label_x, "y": lane_top(index) + 12} for index, label in enumerate(chart.lanes)
    ]
    bars = [bar(span) for span in chart.spans]
    return Drawing(width, axis_y + AXIS_SPACE, rtl, lanes, bars, markers, ticks, x(chart.today), axis_y)


@dataclass(frozen=True)
class Row:
    """One line of the chart's text alternative."""

    lane: str | Promise
    label: str | Promise
    start: datetime.date
    end: datetime.date | None
    status: str | Promise


def table_rows(chart: Chart) -> list[Row]:
    """The spans and markers in order of their first day, then of their lane."""
    keyed = [
        ((span.start, span.lane), Row(chart.lanes[span.lane], span.label, span.start, span.end, span.status))
        for span in chart.spans
    ]
    keyed += [
        ((marker.day, marker.lane), Row(chart.lanes[marker.lane], marker.label, marker.day, None, ""))
        for marker in chart.markers
    ]
    return [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]
