"""The individual risk assessment and the protection plan (the protection officer's).

An assessment rates each risk (retaliation, re-trafficking, relatives in the destination and origin
country, health, stigma) with reasons and sources (T3) and an overall level (T1). A completed assessment is
due for review `justice.risk_review_days` later (a deadline), and at once after a triggering event: a hearing
held, a suspect released, a sighting (`risk_review_now`). A new completed assessment completes the previous
one's review deadline. The plan's measures say who carries each out, from and to when; where is T3.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.matrix import JusticePart
from palermo.access.policy import require
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.cases.services.timeline import record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.days import today
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import stamped
from palermo.deadlines.services import complete_deadlines, set_deadline_on
from palermo.justice.models import (
    MeasureKind,
    MeasureStatus,
    ProtectionMeasure,
    RiskAssessment,
    RiskFactor,
    RiskLevel,
    RiskRating,
    RiskTrigger,
)
from palermo.justice.services.common import (
    NAME_MAX_LENGTH,
    RISK_REVIEW_KIND,
    clean_choice,
    clean_past_day,
    clean_text,
    may_write_part,
    risk_entry,
    save_change,
)

ASSESSED = risk_entry(gettext_noop("Risk assessment recorded"), "justice.risk_assess")
REVIEW_CALLED = risk_entry(gettext_noop("Risk assessment review called for at once"), "justice.risk_review")
MEASURE_ADDED = risk_entry(gettext_noop("Protection measure planned"), "justice.measure_add")
MEASURE_CHANGED = risk_entry(gettext_noop("Protection measure updated"), "justice.measure_change")


@dataclass(frozen=True)
class Rating:
    factor: str
    level: str
    reasons: str = ""
    sources: str = ""


def review_due_on(completed_on: datetime.date) -> datetime.date:
    return add_days(completed_on, rulebook().justice.risk_review_days)


def _clean_ratings(ratings: Sequence[Rating | Mapping[str, str]]) -> list[Rating]:
    cleaned: list[Rating] = []
    for raw in ratings:
        rating = raw if isinstance(raw, Rating) else Rating(**raw)
        clean_choice(rating.factor, RiskFactor, _("Choose the risk rated."))
        clean_choice(rating.level, RiskLevel, _("Choose the level of each risk."))
        cleaned.append(
            Rating(rating.factor, rating.level, clean_text(rating.reasons), clean_text(rating.sources))
        )
    if len({rating.factor for rating in cleaned}) != len(cleaned):
        raise ValidationError(_("Rate each risk once."), code="ratings")
    return cleaned


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    overall_level: str,
    trigger: str = RiskTrigger.INITIAL,
    ratings: Sequence[Rating | Mapping[str, str]] = (),
    assessed_on: datetime.date | None = None,
    completed: bool = True,
) -> RiskAssessment:
    """Record an individual risk assessment (completed unless `completed=False`); a completed one is due
    for review the rulebook's `justice.risk_review_days` later and answers the previous review deadline."""
    cleaned = _clean_ratings(ratings)
    writes_location = any(rating.reasons or rating.sources for rating in cleaned)
    tier = Tier.LOCATION if writes_location else Tier.METADATA
    require(
        may_write_part(membership, case, JusticePart.RISK, tier), "this membership may not assess risk here"
    )
    clean_choice(overall_level, RiskLevel, _("Choose the overall level of risk."))
    clean_choice(trigger, RiskTrigger, _("Choose why the risk is assessed now."))
    day = clean_past_day(assessed_on, case)
    assessment = RiskAssessment.objects.create(
        case=case,
        trigger=trigger,
        overall_level=overall_level,
        assessed_on=day,
        completed_on=day if completed else None,
        review_on=review_due_on(day) if completed else None,
        rulebook=settings.PALERMO_RULEBOOK,
        **stamped(actor, membership, by="assessed_by"),
    )
    RiskRating.objects.bulk_create(
        RiskRating(
            assessment=assessment, factor=r.factor, level=r.level, reasons=r.reasons, sources=r.sources
        )
        for r in cleaned
    )
    if completed:
        _schedule_review(assessment)
    record_entry(ASSESSED, assessment, actor=actor, membership=membership, audit_tier=tier)
    return assessment


def _schedule_review(assessment: RiskAssessment) -> None:
    for earlier in RiskAssessment.objects.filter(case_id=assessment.case_id).exclude(pk=assessment.pk):
        complete_deadlines(earlier, RISK_REVIEW_KIND)
    _review_deadline(assessment, assessment.case)


def _review_deadline(assessment: RiskAssessment, case: Case) -> None:
    assert assessment.review_on is not None  # noqa: S101  (a completed assessment has its review day)
    set_deadline_on(
        assessment.review_on, case=case, kind=RISK_REVIEW_KIND, source=assessment, agency=assessment.agency
    )


@transaction.atomic
def risk_review_now(*, actor: User | None, membership: Membership | None, case: Case, trigger: str) -> None:
    """A triggering event (a hearing held, a suspect released, a sighting): the latest assessment's review
    falls due today. Called by the services that record the event, and by the protection officer."""
    latest = RiskAssessment.objects.filter(case=case, completed_on__isnull=False).order_by(
        "-completed_on", "-id"
    )
    assessment = latest.first()
    if assessment is None or (assessment.review_on is not None and assessment.review_on <= today()):
        return
    assessment.review_on = max(today(), assessment.completed_on or today())
    bump_version(assessment)
    assessment.save(update_fields=["review_on", "version"])
    _review_deadline(assessment, case)
    record_entry(REVIEW_CALLED, assessment, actor=actor, membership=membership)


def _clean_measure_dates(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("A measure cannot end before it starts."), code="ends_before_start")


@transaction.atomic
def protection_measure_add(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    kind: str,
    carried_out_by: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    where: str = "",
    status: str = MeasureStatus.PLANNED,
) -> ProtectionMeasure:
    """Add a measure to the protection plan, under the case's latest assessment."""
    where = clean_text(where, limit=300)
    tier = Tier.LOCATION if where else Tier.METADATA
    require(
        may_write_part(membership, case, JusticePart.RISK, tier), "this membership may not plan protection"
    )
    clean_choice(kind, MeasureKind, _("Choose the measure."))
    clean_choice(status, MeasureStatus, _("Choose the measure's status."))
    _clean_measure_dates(starts_on, ends_on)
    measure = ProtectionMeasure.objects.create(
        case=case,
        assessment=RiskAssessment.objects.filter(case=case).order_by("-assessed_on", "-id").first(),
        kind=kind,
        carried_out_by=clean_text(
            carried_out_by,
            required=True,
            limit=NAME_MAX_LENGTH,
            missing=_("Say who carries the measure out."),
        ),
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        where=where,
        **stamped(actor, membership),
    )
    record_entry(MEASURE_ADDED, measure, actor=actor, membership=membership, audit_tier=tier)
    return measure


@transaction.atomic
def protection_measure_update(
    *,
    actor: User,
    membership: Membership,
    measure: ProtectionMeasure,
    status: str,
    ends_on: datetime.date | None,
    expected_version: int,
) -> ProtectionMeasure:
    """Put a measure in place, or end it (with the day it ended)."""
    require(may_write_part(membership, measure.case, JusticePart.RISK), "this membership may not change it")
    clean_choice(status, MeasureStatus, _("Choose the measure's status."))
    locked = lock_for_edit(ProtectionMeasure, pk=measure.pk, expected_version=expected_version)
    locked.case = measure.case
    if status == MeasureStatus.ENDED and ends_on is None:
        ends_on = today()
    _clean_measure_dates(locked.starts_on, ends_on)
    locked.status, locked.ends_on = status, ends_on
    save_change(locked, MEASURE_CHANGED, ["status", "ends_on"], actor=actor, membership=membership)
    return locked
