"""Care arrangements: family-type, foster, community or residential care. Family-type and community care are
preferred (position paper), so choosing residential care states why. A new arrangement ends the current one.
Each arrangement is reviewed every `children.care_review_days`: the review deadline moves on with each review.

Choosing care is a decision on the child's care: the child's views are recorded and a best-interest
determination must exist (palermo.children.guards).
"""

from __future__ import annotations

import datetime
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership, User
from palermo.cases.models import Case
from palermo.cases.services.timeline import Entry
from palermo.children.models import CareArrangement, CareQuality, CareReview, CareType
from palermo.children.services.common import (
    CHILD,
    ChildHeard,
    child_views_of,
    clean_past_day,
    clean_text,
    day_start,
    decided_on_record,
    require_child_writer,
    require_write,
    saved_on_record,
    today,
)
from palermo.core.decisions import DecisionSubject
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import signed, stamped
from palermo.deadlines.services import complete_deadlines, set_deadline

REVIEW_KIND = "children.care_review"
MAX_DAYS_AHEAD = 366
CARE_DECIDED = Entry(gettext_noop("Care arrangement decided"), "children.care.arrange", Tier.METADATA, CHILD)
CARE_REVIEWED = Entry(
    gettext_noop("Care arrangement reviewed"), "children.care.review", Tier.NARRATIVE, CHILD
)
CARE_LABEL = gettext_noop("Care arrangement")


def may_decide_care(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE)


def review_due(day: datetime.date) -> datetime.datetime:
    return day_start(add_days(day, rulebook().children.care_review_days))


def _schedule_review(
    case: Case, arrangement: CareArrangement, membership: Membership, *, after: datetime.date
) -> None:
    """The arrangement's next review falls due from this day; the acting agency holds the deadline."""
    set_deadline(
        case=case, kind=REVIEW_KIND, due_at=review_due(after), source=arrangement, agency=membership.agency
    )


def _clean_care(
    type: str, provider: Agency | None, starts_on: datetime.date, residential_reason: str
) -> dict[str, Any]:
    """The care chosen, checked, as the arrangement's fields of the same names: its type and provider, its
    start, and why residential care where that is the type."""
    if type not in CareType.values:
        raise ValidationError({"type": _("Choose the type of care.")})
    residential_reason = clean_text(
        residential_reason, "residential_reason", required=type == CareType.RESIDENTIAL
    )
    if type == CareType.RESIDENTIAL and not residential_reason:
        raise ValidationError(
            {"residential_reason": _("Family-type and community care come first: say why residential care.")}
        )
    if starts_on > today() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"starts_on": _("A care arrangement is decided at most a year ahead.")})
    return {
        "type": type,
        "provider": provider,
        "starts_on": starts_on,
        "residential_reason": residential_reason,
    }


def care_arrange(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    type: str,
    starts_on: datetime.date,
    reasons: str,
    residential_reason: str = "",
    provider: Agency | None = None,
    **heard: Unpack[ChildHeard],
) -> CareArrangement:
    require_child_writer(membership, case)
    care = _clean_care(type, provider, starts_on, residential_reason)
    views = child_views_of(heard)
    reasons = clean_text(reasons, "reasons")

    def arrange() -> CareArrangement:
        """The new arrangement ends the current one, and its first review falls due from its start."""
        for current in CareArrangement.objects.select_for_update().filter(case=case, ended_on__isnull=True):
            current.ended_on = max(starts_on, current.starts_on)
            current.save(update_fields=["ended_on"])
            complete_deadlines(current, REVIEW_KIND)
        arrangement = CareArrangement.objects.create(
            case=case,
            **care,
            reasons=reasons,
            **stamped(actor, membership, by="decided_by", at="decided_at"),
            **views,
        )
        _schedule_review(case, arrangement, membership, after=starts_on)
        return arrangement

    return decided_on_record(
        arrange,
        CARE_DECIDED,
        DecisionSubject.CARE,
        CARE_LABEL,
        CareType(type).label,
        views=views,
        actor=actor,
        membership=membership,
        case=case,
    )


def care_review(
    *,
    actor: User,
    membership: Membership,
    arrangement: CareArrangement,
    reviewed_on: datetime.date,
    quality: str,
    findings: str,
) -> CareReview:
    """Record a quality review of the current arrangement; the next review falls due from this one."""
    case = arrangement.case
    require_write(membership, case, Tier.NARRATIVE)
    if arrangement.ended_on is not None:
        raise ValidationError(_("This care arrangement has ended."))
    if quality not in CareQuality.values:
        raise ValidationError({"quality": _("Choose the outcome of the review.")})
    reviewed_on = clean_past_day(reviewed_on, "reviewed_on")
    if reviewed_on < arrangement.starts_on:
        raise ValidationError({"reviewed_on": _("The review cannot come before the arrangement started.")})
    review = CareReview(
        arrangement=arrangement,
        reviewed_on=reviewed_on,
        quality=quality,
        findings=clean_text(findings, "findings"),
        **signed(actor, membership, by="reviewed_by"),
    )
    return saved_on_record(
        review,
        CARE_REVIEWED,
        actor=actor,
        membership=membership,
        case=case,
        then=lambda _saved: _schedule_review(case, arrangement, membership, after=reviewed_on),
    )
