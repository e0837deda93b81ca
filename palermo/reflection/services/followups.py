"""What the end of the period prompts, and what completes that prompt.

The `reflection.end` deadline falls on the period's last protected day; the reminders bring it up in the days
before, so that what must come before protection runs out is done in time: the identified victim decision
(whatever its outcome), or a residence permit granted for the case. When either is recorded, the deadline is
done. The residence area announces decisions, not lodged applications, so a permit granted is what completes
it from that side.

Both areas announce their decisions through `palermo.core.decisions`; `complete_end_on_decision` is the
listener (registered in ReflectionConfig.ready()) and runs after the decision commits. A period opened or
extended after the decision was taken finds its end deadline already answered (`end_prompt_answered`).
"""

from __future__ import annotations

from django.db import transaction

from palermo.core.decisions import DecisionRecorded, DecisionSubject
from palermo.deadlines.services import complete_deadlines
from palermo.identification.models import DecisionKind, IdentificationDecision
from palermo.reflection.models import ReflectionPeriod
from palermo.reflection.services.common import END_KIND
from palermo.residence.models import Permit


def end_prompt_answered(case_id: int) -> bool:
    """Whether the case has what the period's end prompts: an identified victim decision or a permit."""
    identified = IdentificationDecision.objects.filter(case_id=case_id, kind=DecisionKind.IDENTIFIED)
    return identified.exists() or Permit.objects.filter(case_id=case_id).exists()


def answers_end_prompt(event: DecisionRecorded) -> bool:
    """An identified victim decision (any outcome), or a residence decision that granted a permit."""
    if event.subject == DecisionSubject.IDENTIFICATION and event.object_type == "identification_decision":
        decisions = IdentificationDecision.objects.filter(pk=event.object_id, kind=DecisionKind.IDENTIFIED)
        return decisions.exists()
    if event.subject == DecisionSubject.LEGAL_STATUS and event.object_type == "residence_decision":
        return Permit.objects.filter(decision_id=event.object_id).exists()
    return False


def complete_end_on_decision(event: DecisionRecorded) -> None:
    """The decision listener: the end deadline of the case's period is done once the prompt is answered."""
    if not answers_end_prompt(event):
        return
    with transaction.atomic():
        period = ReflectionPeriod.objects.filter(case_id=event.case_id).first()
        if period is not None:
            complete_deadlines(period, END_KIND)
