"""Reads of residence records. The case comes from `palermo.access.selectors.case_for` first (404 when the
viewer may not see it); a decision's reasons (T2) are given only to viewers allowed T2; grounds of appeal, the
child's views and the humanitarian assessment's findings and notes (T4) only to viewers allowed T4, others
learning only that an assessment exists and how many criteria it has answered, save the child's views of a
decision the viewer recorded (they stated them: palermo.core.decisions); the country of resettlement (T3) only
to viewers allowed T3. Showing T2 or T4 text is a recorded read, at the highest tier shown.

The two protection sources (palermo.reflection.protection) answer from ids only: the last day of a permit
valid today, and, for an asylum application not yet finally decided (pending, or under appeal), "until
decided" (`datetime.date.max`, the protection registry's UNTIL_DECIDED): no end date can be given while the
decision is awaited, so whoever asks learns the person is protected and asks again before acting.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import DateField, Max, OuterRef, Prefetch, QuerySet, Subquery

from palermo.access.tiered import note_read
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.dates import DateKind, PersonDate
from palermo.cases.facts import has_none, preloaded
from palermo.cases.models import Case
from palermo.cases.records import record_on_case
from palermo.core.days import today
from palermo.core.decisions import may_read_child_views
from palermo.residence.models import (
    HUMANITARIAN_CRITERIA,
    Appeal,
    Application,
    ApplicationKind,
    ApplicationStatus,
    Decision,
    Finding,
    HumanitarianAssessment,
    Permit,
)
from palermo.residence.services.applications import (
    awaited_decision_due_on,
)

OPEN_STATUSES = (ApplicationStatus.PENDING, ApplicationStatus.APPEALED)


def permits_protected_until(case_ids: Collection[int]) -> datetime.date | None:
    """The latest last day among the permits of these cases valid today (one indexed query)."""
    on = today()
    found = Permit.objects.filter(case_id__in=list(case_ids), valid_from__lte=on, valid_to__gte=on)
    return found.aggregate(last=Max("valid_to"))["last"]


def asylum_protected_until(case_ids: Collection[int]) -> datetime.date | None:
    """While an asylum application is pending or under appeal the person may not be removed, until it is
    decided: `datetime.date.max` (palermo.reflection.protection.UNTIL_DECIDED, not imported: a sibling area),
    whatever its due day; None when none is open (one query)."""
    found = Application.objects.filter(
        case_id__in=list(case_ids), kind=ApplicationKind.ASYLUM, status__in=OPEN_STATUSES
    )
    return datetime.date.max if found.exists() else None


def _last_appeal_on() -> Subquery:
    """The day the application's latest appeal was lodged: under appeal, the open one (an appeal follows the
    refusal it challenges, which follows any earlier appeal)."""
    latest = Appeal.objects.filter(application=OuterRef("pk")).order_by("-lodged_on").values("lodged_on")[:1]
    return Subquery(latest, output_field=DateField())


def awaited_due_on(application: Application) -> datetime.date | None:
    """When the decision an application of `applications_of` or `applications_in_brief` awaits falls due."""
    return awaited_decision_due_on(application, getattr(application, "last_appeal_on", None))


def _applications(case: Case, pk: int | None = None) -> list[Application]:
    found = Application.objects.filter(case=case)
    if pk is not None:
        found = found.filter(pk=pk)
    decisions = Decision.objects.select_related("decided_by", "agency").order_by("decided_on", "pk")
    return list(
        found.select_related("agency", "lodged_by", "assessment", "renews")
        .annotate(last_appeal_on=_last_appeal_on())
        .prefetch_related(
            Prefetch("decisions", queryset=decisions.select_related("permit")),
            Prefetch("appeals", queryset=Appeal.objects.select_related("agency").order_by("lodged_on", "pk")),
        )
        .order_by("lodged_on", "pk")
    )


def applications_of(case: Case, pk: int | None = None) -> list[Application]:
    """The case's applications (or the one with `pk`) with their decisions, appeals, permits and assessment,
    in a fixed number of queries."""
    applications = _applications(case, pk)
    for application in applications:
        application.case = case  # the caller's instance, which knows the viewer's relations
    return applications


# What the case page's section and its picture show (T1): no people, agencies, reasons, appeals, assessments.
BRIEF_APPLICATION_FIELDS = ("case_id", "kind", "route", "lodged_on", "authority", "status")
BRIEF_DECISION_FIELDS = ("application_id", "outcome", "decided_on")
BRIEF_PERMIT_FIELDS = (
    "case_id",
    "kind",
    "route",
    "valid_from",
    "valid_to",
    "allows_work",
    "allows_study",
    "renewable",
)


def applications_in_brief(case: Case) -> list[Application]:
    """The case's applications with their decisions' outcomes and days, and the day of their latest appeal, T1
    columns only (two queries): the case page's section, which `applications_of` would give joins and
    prefetches it never shows."""
    if has_none(case, Application):
        return []
    applications: list[Application] = list(
        preloaded(case, "residence.applications", lambda: _applications_in_brief(case))
    )
    for application in applications:
        application.case = case
    return applications


def _applications_in_brief(case: Case) -> QuerySet[Application]:
    decisions = Decision.objects.only(*BRIEF_DECISION_FIELDS).order_by("decided_on", "pk")
    return (
        Application.objects.filter(case=case)
        .only(*BRIEF_APPLICATION_FIELDS)
        .annotate(last_appeal_on=_last_appeal_on())
        .prefetch_related(Prefetch("decisions", queryset=decisions))
        .order_by("lodged_on", "pk")
    )


def _permits_in_brief(case: Case) -> QuerySet[Permit]:
    return Permit.objects.filter(case=case).only(*BRIEF_PERMIT_FIELDS).order_by("valid_from", "pk")


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The residence section's reads, for the case page's one statement (palermo.cases.facts)."""
    reads: dict[str, QuerySet[Any]] = {}
    if not has_none(case, Application):
        reads["residence.applications"] = _applications_in_brief(case)
    if not has_none(case, Permit):
        reads["residence.permits"] = _permits_in_brief(case)
    return reads


def application_of(case: Case, pk: int) -> Application:
    return record_on_case(Application.objects.filter(case=case).select_related("renews"), case, pk)


def permits_of(case: Case) -> list[Permit]:
    return list(
        Permit.objects.filter(case=case).select_related("decision__application").order_by("valid_from", "pk")
    )


def permits_in_brief(case: Case) -> list[Permit]:
    """The case's permits, T1 columns only, without their decisions (one query): the case page's section."""
    if has_none(case, Permit):
        return []
    return list(preloaded(case, "residence.permits", lambda: _permits_in_brief(case)))


def renewable_permits(case: Case) -> list[Permit]:
    return [permit for permit in permits_of(case) if permit.renewable and permit.renewed_by_id is None]


def assessment_of(application: Application) -> HumanitarianAssessment | None:
    try:
        return application.assessment
    except HumanitarianAssessment.DoesNotExist:
        return None


@dataclass(frozen=True)
class AssessmentProgress:
    """What anyone who sees the application may know of its humanitarian assessment (T1): that it exists,
    when it was last saved and how many of the criteria have a finding, never which ones nor what."""

    assessed_at: datetime.datetime
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def assessment_progress(application: Application) -> AssessmentProgress | None:
    """Counted on the server from the findings, which never leave it."""
    assessment = assessment_of(application)
    if assessment is None:
        return None
    answered = sum(1 for _name, _label, value in assessment.findings() if value != Finding.UNKNOWN)
    return AssessmentProgress(assessment.assessed_at, answered, len(HUMANITARIAN_CRITERIA))


def has_reasons(applications: Collection[Application]) -> bool:
    """Whether any decision's reasons (T2) are there to show."""
    return any(application.decisions.all() for application in applications)


def has_narrative(applications: Collection[Application]) -> bool:
    """Whether any T4 text is there to show (grounds of appeal, the child's views, assessments)."""
    return any(
        any(appeal.grounds for appeal in application.appeals.all())
        or any(
            decision.child_views or decision.child_not_heard_reason
            for decision in application.decisions.all()
        )
        or assessment_of(application) is not None
        for application in applications
    )


def child_views_shown(
    applications: Collection[Application], membership: Membership | None, tiers: Collection[int]
) -> frozenset[int]:
    """The ids of the decisions whose child's views this viewer reads: all of them with T4 on the case;
    without it, those the viewer recorded, while the viewer may still read the decisions' reasons (T2)."""
    reads_narrative = Tier.NARRATIVE in tiers
    if not reads_narrative and Tier.IDENTITY not in tiers:
        return frozenset()
    return frozenset(
        decision.pk
        for application in applications
        for decision in application.decisions.all()
        if may_read_child_views(
            membership,
            reads_narrative=reads_narrative,
            author_id=decision.decided_by_id,
            author_agency_id=decision.agency_id,
        )
    )


def shows_own_child_views(applications: Collection[Application], shown: Collection[int]) -> bool:
    """Whether any decision among `shown` has the child's views, or why the child was not heard, to show."""
    return any(
        decision.pk in shown and bool(decision.child_views or decision.child_not_heard_reason)
        for application in applications
        for decision in application.decisions.all()
    )


def shown_tier(
    applications: Collection[Application], tiers: Collection[int], views_shown: Collection[int] = ()
) -> Tier | None:
    """The highest tier of text these applications show a viewer with `tiers` who reads the child's views of
    the decisions `views_shown`; None when only T1."""
    if Tier.NARRATIVE in tiers and has_narrative(applications):
        return Tier.NARRATIVE
    if shows_own_child_views(applications, views_shown):
        return Tier.NARRATIVE
    if Tier.IDENTITY in tiers and has_reasons(applications):
        return Tier.IDENTITY
    return None


def applications_shown(
    case: Case, membership: Membership, tiers: Collection[int], applications: Collection[Application]
) -> Collection[Application]:
    """Applications as a page or answer shows them. Reasons (T2), grounds, the child's views and assessments
    (T4): showing them is recorded once per request, at the highest tier shown."""
    tier = shown_tier(applications, tiers, child_views_shown(applications, membership, tiers))
    if tier is not None:
        note_read(
            membership=membership,
            case=case,
            tier=tier,
            action="residence.read",
            object_type="residence_application",
            object_ids=[application.pk for application in applications],
        )
    return applications


def current_permit(permits: Collection[Permit], on: datetime.date | None = None) -> Permit | None:
    on = on or today()
    valid = [permit for permit in permits if permit.valid_from <= on <= permit.valid_to]
    return max(valid, key=lambda permit: permit.valid_to, default=None)


def person_dates(case: Case) -> list[PersonDate]:
    """The person's residence dates for their summary: each permit valid today or later (until when), and
    each application or appeal still open (since when, and when its decision is due). Two queries."""
    on = today()
    permits = Permit.objects.filter(case=case, valid_to__gte=on).order_by("valid_to", "pk")
    dates = [PersonDate(DateKind.PERMIT_ENDS, on=permit.valid_to) for permit in permits]
    applications = (
        Application.objects.filter(case=case, status__in=OPEN_STATUSES)
        .annotate(last_appeal_on=_last_appeal_on())
        .order_by("lodged_on", "pk")
    )
    for application in applications:
        dates.append(_open_application_date(application))
    return dates


def _open_application_date(application: Application) -> PersonDate:
    due_on = awaited_due_on(application)
    if application.status == ApplicationStatus.APPEALED:
        appealed_on = getattr(application, "last_appeal_on", None)
        return PersonDate(DateKind.APPEAL_PENDING, on=due_on, since=appealed_on)
    kind = (
        DateKind.ASYLUM_APPLICATION_PENDING
        if application.kind == ApplicationKind.ASYLUM
        else DateKind.RESIDENCE_APPLICATION_PENDING
    )
    return PersonDate(kind, on=due_on, since=application.lodged_on)
