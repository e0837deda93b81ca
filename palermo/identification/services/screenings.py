"""Screenings: started, answered (saved as the responder goes), completed with the evaluation kept.

First responders, case managers and the identification authority answer, and only on cases where the access
policy lets them write narrative (T4) data. Completing with many indicators unanswered is asked about first
(`unanswered_confirmed`). A completed screening is frozen: a later screening is a new one, so the advice the
decision maker saw can always be shown again as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_on_record
from palermo.cases.child import child_rules_apply
from palermo.cases.models import Case
from palermo.cases.services.timeline import record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.transitions import Lifecycle, moves
from palermo.identification import timeline
from palermo.identification.models import (
    Advice,
    AnswerChoice,
    Indicator,
    InformationSource,
    Instrument,
    Screening,
    ScreeningAnswer,
    ScreeningDimensionResult,
    ScreeningStatus,
)
from palermo.identification.roles import SCREENING_WRITERS
from palermo.identification.rules import Evaluation
from palermo.identification.selectors import (
    screening_answer_rows,
    screening_instrument,
    screening_live_evaluation,
    screening_progress,
)

NOTE_MAX_LENGTH = 5000


@dataclass(frozen=True)
class AnswerInput:
    indicator_id: int
    answer: str
    note: str = ""
    source: str = ""


def may_answer(membership: Membership, case: Case) -> bool:
    return membership.role in SCREENING_WRITERS and can_write(membership, case, Tier.NARRATIVE)


def _require_writer(membership: Membership, case: Case) -> None:
    if not may_answer(membership, case):
        raise PermissionDenied("this membership does not answer screenings on this case")


def _audit(actor: User, membership: Membership, screening: Screening, action: str, tier: int) -> None:
    audit_on_record(
        screening,
        "screening",
        action,
        tier,
        actor=actor,
        membership=membership,
        case=screening.case,
    )


@transaction.atomic
def screening_start(
    *, actor: User, membership: Membership, case: Case, instrument: Instrument, child: bool | None = None
) -> Screening:
    """A new draft screening; the child rule applies when the case is treated as a child's, or the person was
    a child when the exploitation began (palermo.cases.child.child_rules_apply), unless said."""
    _require_writer(membership, case)
    screening = Screening.objects.create(
        case=case,
        instrument=instrument,
        child=child_rules_apply(case) if child is None else child,
        agency_id=membership.agency_id,
        created_by=actor,
    )
    # That a screening exists, and with which instrument, is case metadata; its answers are T4.
    _audit(actor, membership, screening, "screening.start", Tier.METADATA)
    return screening


def _clean_answers(screening: Screening, answers: Sequence[AnswerInput]) -> list[AnswerInput]:
    """Every answer valid for this screening's instrument and rule, or one ValidationError naming each."""
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(dimension__instrument_id=screening.instrument_id).only(
            "pk", "child_weight"
        )
    }
    errors: list[ValidationError] = []
    seen: set[int] = set()
    for item in answers:
        indicator = indicators.get(item.indicator_id)
        if indicator is None:
            errors.append(
                ValidationError(
                    _("Indicator %(id)s is not in this instrument."), params={"id": item.indicator_id}
                )
            )
        elif screening.child and indicator.child_weight is None:
            errors.append(
                ValidationError(
                    _("Indicator %(id)s is not on the child list."), params={"id": item.indicator_id}
                )
            )
        if item.indicator_id in seen:
            errors.append(
                ValidationError(_("Indicator %(id)s is answered twice."), params={"id": item.indicator_id})
            )
        seen.add(item.indicator_id)
        if item.answer not in AnswerChoice.values:
            errors.append(ValidationError(_("An answer is yes, no or unknown.")))
        if item.source and item.source not in InformationSource.values:
            errors.append(ValidationError(_("Choose the source of the information from the list.")))
        if len(item.note) > NOTE_MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("A note holds at most %(limit)d characters."), params={"limit": NOTE_MAX_LENGTH}
                )
            )
    if errors:
        raise ValidationError(errors)
    return [AnswerInput(a.indicator_id, a.answer, a.note.strip(), a.source) for a in answers]


# The one transition table of a screening: a draft is completed once, and a complete screening is frozen.
LIFECYCLE = Lifecycle(
    noun=_("screening"),
    statuses=ScreeningStatus,
    transitions=moves({ScreeningStatus.DRAFT: {ScreeningStatus.COMPLETE}}),
)


def _lock_draft(screening: Screening, expected_version: int) -> Screening:
    locked = lock_for_edit(Screening, pk=screening.pk, expected_version=expected_version)
    if locked.status != ScreeningStatus.DRAFT:
        raise ValidationError(
            _("This screening is complete and is not changed; start a new one."), code="complete"
        )
    locked.case = screening.case
    return locked


def _store_answers(screening: Screening, answers: list[AnswerInput], actor: User) -> None:
    existing = {row.indicator_id: row for row in screening.answers.all()}
    now = timezone.now()
    for item in answers:
        row = existing.get(item.indicator_id)
        if row is None:
            row = ScreeningAnswer(screening=screening, indicator_id=item.indicator_id)
        elif (row.answer, row.note, row.source) == (item.answer, item.note, item.source):
            continue
        row.answer, row.note, row.source = item.answer, item.note, item.source
        row.answered_by, row.answered_at = actor, now
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=["answer", "note", "source", "answered_by", "answered_at"])


@transaction.atomic
def screening_answer_set(
    *,
    actor: User,
    membership: Membership,
    screening: Screening,
    expected_version: int,
    answers: Sequence[AnswerInput],
) -> Screening:
    """Save some or all answers of a draft (partial work is fine). Raises StaleEdit if someone saved first."""
    _require_writer(membership, screening.case)
    cleaned = _clean_answers(screening, answers)
    locked = _lock_draft(screening, expected_version)
    _store_answers(locked, cleaned, actor)
    bump_version(locked)
    locked.save(update_fields=["version", "updated_at"])
    _audit(actor, membership, locked, "screening.answer", Tier.NARRATIVE)
    return locked


def _advice(result: Evaluation) -> Advice:
    if result.victim:
        return Advice.VICTIM
    return Advice.INSUFFICIENT if result.insufficient_information else Advice.NOT_VICTIM


@transaction.atomic
def screening_complete(
    *,
    actor: User,
    membership: Membership,
    screening: Screening,
    expected_version: int,
    unanswered_confirmed: bool = False,
) -> Screening:
    """Evaluate and keep the evaluation with the answers; the screening is frozen from now on. With a third
    or more of the list unanswered, only once that is confirmed (`unanswered_confirmed`): the unanswered
    count as unknown, and the advice may then say there is not enough information."""
    _require_writer(membership, screening.case)
    locked = _lock_draft(screening, expected_version)
    if not locked.answers.exists():
        raise ValidationError(
            _("Answer at least one indicator before completing the screening."), code="empty"
        )
    progress = screening_progress(locked, screening_instrument(locked), screening_answer_rows(locked))
    if progress.many_unanswered and not unanswered_confirmed:
        raise ValidationError(
            _(
                "%(unanswered)d of the %(total)d indicators are not answered. Answer them, or confirm that "
                "the screening is complete without them."
            ),
            params={"unanswered": progress.unanswered, "total": progress.total},
            code="many_unanswered",
        )
    result = screening_live_evaluation(locked)
    dimensions = {d.key: d.pk for d in locked.instrument.dimensions.all()}
    ScreeningDimensionResult.objects.bulk_create(
        ScreeningDimensionResult(screening=locked, dimension_id=dimensions[r.key], verdict=str(r.verdict))
        for r in result.dimensions
    )
    locked.advice = _advice(result).value
    moved = LIFECYCLE.apply(locked, ScreeningStatus.COMPLETE)
    locked.completed_by, locked.completed_at = actor, timezone.now()
    locked.save(update_fields=[*moved, "advice", "completed_by", "completed_at", "updated_at"])
    entry = timeline.SCREENING_COMPLETED[Advice(locked.advice)]
    record_entry(entry, locked, actor=actor, membership=membership)
    return locked
