"""Needs assessments and individual assistance plans.

An assessment (what the person needs, T4) leads to a plan: goals and actions, the person's own view of the
plan (all T4, encrypted), who is responsible, when it is reviewed (a deadline, "assistance.plan_review"), and
the services it foresees. Services are voluntary: for each, the plan records the person's agreement or
refusal, which they may change. Writing any of this needs write access to narrative (T4) on the case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.assistance.models import (
    AssessedNeed,
    AssistancePlan,
    NeedsAssessment,
    PersonChoice,
    PlanService,
    PlanStatus,
    ServiceKind,
)
from palermo.assistance.selectors import case_staff
from palermo.assistance.services.locking import lock_final
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import already_saved, bump_version, lock_for_edit
from palermo.core.stamps import signed
from palermo.core.text import clean_field_text
from palermo.core.transitions import Lifecycle, moves
from palermo.deadlines.services import complete_deadlines, set_deadline

PLAN_REVIEW = "assistance.plan_review"
MAX_TEXT = 20000


def _entry(summary: str, action: str) -> Entry:
    """A needs assessment or a plan change: an assistance entry at the tier of what the person needs (T4)."""
    return Entry(summary, action, Tier.NARRATIVE, EventKind.ASSISTANCE)


NEEDS_ASSESSED = _entry(gettext_noop("Needs assessed"), "assistance.assess")
PLAN_DRAWN_UP = _entry(gettext_noop("Assistance plan drawn up"), "assistance.plan_create")
PLAN_CHANGED = _entry(gettext_noop("Assistance plan changed"), "assistance.plan_update")
PLAN_CLOSED = _entry(gettext_noop("Assistance plan closed"), "assistance.plan_close")
PLAN_SERVICE_ADDED = _entry(gettext_noop("Assistance plan: service added"), "assistance.plan_service_add")
PLAN_CHOICE = _entry(gettext_noop("Assistance plan: the person's choice recorded"), "assistance.plan_choice")


# The one transition table of a plan: an active plan is closed once (a new plan replaces it).
LIFECYCLE = Lifecycle(
    noun=_("plan"), statuses=PlanStatus, transitions=moves({PlanStatus.ACTIVE: {PlanStatus.CLOSED}})
)


def may_plan(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE)


def _require_planner(membership: Membership, case: Case) -> None:
    if not may_plan(membership, case):
        raise PermissionDenied("this membership may not write the assistance plan on this case")


def _text(value: str, field: str, *, required: bool = False) -> str:
    return clean_field_text(value, field, required=required, limit=MAX_TEXT)


def _clean_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(kinds))
    if any(kind not in ServiceKind.values for kind in kinds):
        raise ValidationError({"needs": _("Choose services from the list.")})
    return kinds


def assessment_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    needs: Iterable[str],
    urgent: Iterable[str] = (),
    summary: str = "",
) -> NeedsAssessment:
    _require_planner(membership, case)
    kinds = _clean_kinds(needs)
    if not kinds:
        raise ValidationError({"needs": _("Name at least one need.")})
    urgent_kinds = set(urgent)
    summary = _text(summary, "summary")
    with transaction.atomic():
        assessment = NeedsAssessment.objects.create(
            case=case,
            summary=summary,
            assessed_at=timezone.now(),
            **signed(actor, membership, by="assessed_by"),
        )
        AssessedNeed.objects.bulk_create(
            [AssessedNeed(assessment=assessment, kind=kind, urgent=kind in urgent_kinds) for kind in kinds]
        )
        record_entry(NEEDS_ASSESSED, assessment, actor=actor, membership=membership, case=case)
    return assessment


def _review_due(review_on: datetime.date) -> datetime.datetime:
    """A review is due by the end of its day, in the deployment's time zone."""
    end = datetime.datetime.combine(review_on, datetime.time(23, 59))
    return timezone.make_aware(end)


def _clean_dates(review_on: datetime.date, planned_end: datetime.date | None) -> None:
    today = timezone.localdate()
    if review_on < today:
        raise ValidationError({"review_on": _("The review date cannot be in the past.")})
    if planned_end is not None and planned_end < review_on:
        raise ValidationError({"planned_end": _("The plan cannot end before its review.")})


def _require_responsible(responsible: User | None, case: Case) -> None:
    """Whoever is responsible works on the case: a member of the case team."""
    if responsible is not None and not case_staff(case).filter(pk=responsible.pk).exists():
        raise ValidationError({"responsible": _("Choose someone on the case team.")})


def _clean_plan(
    goals: str, actions: str, person_view: str, review_on: datetime.date, planned_end: datetime.date | None
) -> dict[str, Any]:
    """What a plan says, checked: its goals, actions and the person's view (T4), its review date and its
    planned end. Drawing up a plan and changing it write the plan's fields of the same names."""
    texts = {
        "goals": _text(goals, "goals", required=True),
        "actions": _text(actions, "actions"),
        "person_view": _text(person_view, "person_view"),
    }
    _clean_dates(review_on, planned_end)
    return {**texts, "review_on": review_on, "planned_end": planned_end}


def _schedule_review(plan: AssistancePlan, membership: Membership) -> None:
    """The plan's review falls due by the end of its review day, for the one responsible."""
    set_deadline(
        case=plan.case,
        kind=PLAN_REVIEW,
        due_at=_review_due(plan.review_on),
        source=plan,
        agency=membership.agency,
        user=plan.responsible,
    )


def plan_create(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    goals: str,
    review_on: datetime.date,
    responsible: User | None = None,
    actions: str = "",
    person_view: str = "",
    planned_end: datetime.date | None = None,
    services: Iterable[str] = (),
    assessment: NeedsAssessment | None = None,
) -> AssistancePlan:
    """Draw up the case's plan (one active plan per case; close the old one first)."""
    _require_planner(membership, case)
    drawn_up = _clean_plan(goals, actions, person_view, review_on, planned_end)
    responsible = responsible or actor
    _require_responsible(responsible, case)
    kinds = _clean_kinds(services)
    if assessment is not None and assessment.case_id != case.pk:
        raise ValidationError({"assessment": _("That assessment is of another case.")})
    with transaction.atomic():
        active = (
            AssistancePlan.objects.select_for_update().filter(case=case, status=PlanStatus.ACTIVE).first()
        )
        if active is not None and already_saved(active, drawn_up):
            return active  # the same plan sent twice: drawn up already
        if active is not None:
            raise ValidationError(_("The case already has an active plan: change it, or close it first."))
        plan = AssistancePlan.objects.create(
            case=case,
            assessment=assessment,
            **drawn_up,
            responsible=responsible,
            **signed(actor, membership, by="created_by"),
        )
        PlanService.objects.bulk_create([PlanService(plan=plan, kind=kind) for kind in kinds])
        _schedule_review(plan, membership)
        record_entry(PLAN_DRAWN_UP, plan, actor=actor, membership=membership, case=case)
    return plan


def plan_update(
    *,
    actor: User,
    membership: Membership,
    plan: AssistancePlan,
    expected_version: int,
    goals: str,
    review_on: datetime.date,
    responsible: User,
    actions: str = "",
    person_view: str = "",
    planned_end: datetime.date | None = None,
) -> AssistancePlan:
    """Change the plan (a review): a new review date moves the review deadline."""
    case = plan.case
    _require_planner(membership, case)
    changes = {**_clean_plan(goals, actions, person_view, review_on, planned_end), "responsible": responsible}
    _require_responsible(responsible, case)
    with transaction.atomic():
        locked = lock_for_edit(AssistancePlan, pk=plan.pk, expected_version=expected_version)
        if locked.status != PlanStatus.ACTIVE:
            raise ValidationError(_("A closed plan is not changed."))
        for field, value in changes.items():
            setattr(locked, field, value)
        bump_version(locked)
        locked.save(update_fields=[*changes, "version", "updated_at"])
        locked.case = case
        _schedule_review(locked, membership)
        record_entry(PLAN_CHANGED, locked, actor=actor, membership=membership, case=case)
    return locked


def _closed(plan: AssistancePlan) -> bool:
    return plan.status == PlanStatus.CLOSED


def plan_close(
    *, actor: User, membership: Membership, plan: AssistancePlan, expected_version: int
) -> AssistancePlan:
    case = plan.case
    _require_planner(membership, case)
    with transaction.atomic():
        locked, done = lock_final(AssistancePlan, plan, expected_version=expected_version, done=_closed)
        if done:
            return locked
        if locked.status != PlanStatus.ACTIVE:
            raise ValidationError(_("The plan is already closed."))
        moved = LIFECYCLE.apply(locked, PlanStatus.CLOSED)
        locked.ended_at = timezone.now()
        locked.save(update_fields=[*moved, "ended_at", "updated_at"])
        complete_deadlines(locked, PLAN_REVIEW)
        record_entry(PLAN_CLOSED, locked, actor=actor, membership=membership, case=case)
    return locked


def plan_service_add(
    *, actor: User, membership: Membership, plan: AssistancePlan, kind: str, responsible: User | None = None
) -> PlanService:
    case = plan.case
    _require_planner(membership, case)
    _clean_kinds([kind])
    _require_responsible(responsible, case)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("A closed plan is not changed."))
    with transaction.atomic():
        held = PlanService.objects.filter(plan=plan, kind=kind).first()
        if held is not None and already_saved(held, {"responsible": responsible}):
            return held  # the same form sent twice: already in the plan as asked
        if held is not None:
            raise ValidationError({"kind": _("This service is already in the plan.")})
        item = PlanService(plan=plan, kind=kind, responsible=responsible)
        item.save()
        record_entry(PLAN_SERVICE_ADDED, item, actor=actor, membership=membership, case=case)
    return item


def plan_service_choice(
    *, actor: User, membership: Membership, item: PlanService, choice: str
) -> PlanService:
    """Record that the person agrees to the service, or refuses it (services are voluntary)."""
    case = item.plan.case
    _require_planner(membership, case)
    if choice not in (PersonChoice.AGREED, PersonChoice.REFUSED):
        raise ValidationError({"choice": _("Record agreement or refusal.")})
    with transaction.atomic():
        locked = PlanService.objects.select_for_update().get(pk=item.pk)
        locked.choice, locked.choice_recorded_at = choice, timezone.now()
        locked.save(update_fields=["choice", "choice_recorded_at"])
        record_entry(PLAN_CHOICE, locked, actor=actor, membership=membership, case=case)
    locked.plan = item.plan
    return locked
