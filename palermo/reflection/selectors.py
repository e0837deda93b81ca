"""Reads of reflection periods. The case comes from `palermo.access.selectors.case_for` first (404 when the
viewer may not see it); what a period says beyond its dates and statuses (T1) is given only to viewers allowed
its tier (the reasons of extensions and an early end T2, entitlement notes T4), and reading it is recorded.

`reflection_protected_until` is this area's protection source (palermo.reflection.protection): the last day of
a running period among some cases; `identification_protected_until` the protection that lasts until a pending
identification decision or review, as the rulebook's `[protection]` says. `protected_until(case)` answers for
one case by every source.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from palermo.access.tiered import note_read
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership
from palermo.cases.dates import DateKind, PersonDate
from palermo.cases.facts import first_of, has_none, preloaded_first, shared
from palermo.cases.models import Case, Phase
from palermo.core.days import today
from palermo.core.rulebooks import rulebook
from palermo.identification.models import (
    DecisionKind,
    DecisionOutcome,
    IdentificationDecision,
    ReviewRequest,
)
from palermo.reflection import protection
from palermo.reflection.models import Entitlement, EntitlementKind, ReflectionExtension, ReflectionPeriod
from palermo.reflection.services.common import REASON_TIER


def reflection_protected_until(case_ids: Collection[int]) -> datetime.date | None:
    """The latest last day among the running periods of these cases (one indexed query)."""
    on = today()
    found = ReflectionPeriod.objects.filter(case_id__in=list(case_ids), starts_on__lte=on, ends_on__gte=on)
    return found.aggregate(last=Max("ends_on"))["last"]


def identification_protected_until(case_ids: Collection[int]) -> datetime.date | None:
    """UNTIL_DECIDED when one of these open cases awaits an identification decision the rulebook protects
    during (`[protection]`): the presumed-victim decision since the referral (`from_referral`), the
    identified-victim decision after a positive presumed one (`until_identified_decision`), or the review of a
    negative decision (`during_review`); None otherwise. One query, whatever the number of cases."""
    rules = rulebook().protection
    if not (rules.from_referral or rules.until_identified_decision or rules.during_review):
        return None
    decisions = IdentificationDecision.objects.filter(case=OuterRef("pk"))

    def standing(kind: str) -> Subquery:
        latest = decisions.filter(kind=kind).order_by("-decided_at", "-id").values("outcome")[:1]
        return Subquery(latest)

    open_reviews = ReviewRequest.objects.filter(
        case=OuterRef("pk"), review__isnull=True, decision__outcome=DecisionOutcome.NEGATIVE
    )
    rows = (
        Case.objects.filter(pk__in=list(case_ids))
        .exclude(phase=Phase.CLOSED)
        .annotate(
            presumed=standing(DecisionKind.PRESUMED),
            identified=standing(DecisionKind.IDENTIFIED),
            under_review=Exists(open_reviews),
        )
        .values_list("presumed", "identified", "under_review")
    )
    for presumed, identified, under_review in rows:
        if presumed is None and rules.from_referral:
            return protection.UNTIL_DECIDED
        awaits_identified = presumed == DecisionOutcome.POSITIVE and identified is None
        if awaits_identified and rules.until_identified_decision:
            return protection.UNTIL_DECIDED
        if under_review and rules.during_review:
            return protection.UNTIL_DECIDED
    return None


def protected_until(case: Case) -> datetime.date | None:
    """The last day this case's person is protected from removal by any source (a running reflection period,
    a permit, a pending asylum application...), UNTIL_DECIDED when protection lasts until a pending decision,
    or None when nothing protects them today."""
    return protection.protected_until(case)


def period_dates(case: Case) -> tuple[datetime.date, datetime.date] | None:
    """The case's period's first and last day (T1) in one query (none of its extensions, entitlements or
    encrypted reasons); `period_of` for the callers that need the period itself."""
    if has_none(case, ReflectionPeriod):
        return None
    period = shared(case, PERIOD_READ)  # the reflection section of the same page read it already
    if period is not None:
        return period.starts_on, period.ends_on
    return ReflectionPeriod.objects.filter(case=case).values_list("starts_on", "ends_on").first()


PERIOD_READ = "reflection.period"  # the case page's sections share it (palermo.cases.facts)


def period_of(case: Case) -> ReflectionPeriod | None:
    """The case's period with its extensions and entitlements, in a fixed number of queries."""
    if has_none(case, ReflectionPeriod):
        return None
    return preloaded_first(case, PERIOD_READ, lambda: _period_of(case))


def _period_of(case: Case) -> QuerySet[ReflectionPeriod]:
    return (
        ReflectionPeriod.objects.filter(case=case)
        .select_related("agency", "requested_by", "ended_early_by")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=ReflectionExtension.objects.select_related("extended_by", "agency").order_by(
                    "extended_at", "pk"
                ),
            ),
            Prefetch("entitlements", queryset=Entitlement.objects.select_related("updated_by")),
        )
    )


def page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The reflection section's read, for the case page's one statement (palermo.cases.facts)."""
    return {PERIOD_READ: first_of(_period_of(case))} if not has_none(case, ReflectionPeriod) else {}


def required_period(case: Case) -> ReflectionPeriod:
    period = period_of(case)
    if period is None:
        raise Http404
    period.case = case  # the caller's instance, which knows the viewer's relations
    return period


def entitlement_of(period: ReflectionPeriod, kind: str) -> Entitlement:
    if kind not in EntitlementKind.values:
        raise Http404
    for entitlement in period.entitlements.all():
        if entitlement.kind == kind:
            entitlement.period = period
            return entitlement
    raise Http404


def read_tier(period: ReflectionPeriod, tiers: Collection[int]) -> int | None:
    """The tier of the most sensitive text this viewer is shown (T4 notes, T2 reasons), whose reading is then
    recorded; None when the viewer is shown none (nothing written, or not allowed to read it)."""
    if Tier.NARRATIVE in tiers and any(entitlement.note for entitlement in period.entitlements.all()):
        return Tier.NARRATIVE
    has_reasons = bool(period.early_end_reason) or any(ext.reason for ext in period.extensions.all())
    if REASON_TIER in tiers and has_reasons:
        return REASON_TIER
    return None


def period_shown(
    membership: Membership, period: ReflectionPeriod, tiers: Collection[int]
) -> ReflectionPeriod:
    """The period as a page or answer shows it: reasons (T2) and notes (T4) only with their tier, and
    showing them is recorded once per request, at the highest tier of the text actually shown."""
    tier = read_tier(period, tiers)
    if tier is not None:
        note_read(
            membership=membership,
            case=period.case,
            tier=tier,
            action="reflection.read",
            object_type="reflection_period",
            object_ids=[period.pk],
        )
    return period


def entitlements_shown(
    membership: Membership, period: ReflectionPeriod, tiers: Collection[int]
) -> Iterable[Entitlement]:
    """The period's entitlements in order; showing their notes (T4) is recorded once per request."""
    if Tier.NARRATIVE in tiers and any(item.note for item in period.entitlements.all()):
        note_read(
            membership=membership,
            case=period.case,
            tier=Tier.NARRATIVE,
            action="reflection.read",
            object_type="reflection_period",
            object_ids=[period.pk],
        )
    return ordered_entitlements(period)


def days_left(period: ReflectionPeriod, on: datetime.date | None = None) -> int | None:
    """Days of protection left after today (0 on the last day); None when the period is not running."""
    on = on or today()
    if not period.starts_on <= on <= period.ends_on:
        return None
    return (period.ends_on - on).days


def ordered_entitlements(period: ReflectionPeriod) -> Iterable[Entitlement]:
    return sorted(period.entitlements.all(), key=lambda item: (item.due_on, item.pk))


def person_dates(case: Case) -> list[PersonDate]:
    """The end of the person's reflection period for their summary, while it has not passed (one query)."""
    running = ReflectionPeriod.objects.filter(case=case, ends_on__gte=today())
    ends_on = running.values_list("ends_on", flat=True).first()
    return [] if ends_on is None else [PersonDate(DateKind.REFLECTION_ENDS, on=ends_on)]
