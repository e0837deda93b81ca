"""What every decision on a case shares, whichever area takes it (identification, residence, children).

1. **The child's views.** On a child's case every decision records the child's views, or why the child was not
   heard, with the child's age and the interpreter used (brief §4). Decision models inherit the abstract
   `ChildViewsRecord`; decision forms call `child_views_problems` in `clean()` and services call
   `require_child_views` before saving, so the API door cannot skip what the form asks. The views are
   narrative (T4), yet art. 12 CRC puts the duty to hear the child on whoever decides: whoever may take a
   decision on a child's case states them as part of it, even where the access matrix gives that role no T4
   on the case (the migration officer). They are stored and audited at T4 and open nothing else: they are
   read by those who may read T4 on the case and by their author, on that author's own decisions only
   (`may_read_child_views`; docs/decisions/0003-child-views-in-decisions.md).
2. **Guards.** An area may forbid finalising a kind of decision until something else is done: the children
   area refuses a decision on a child's legal status, care, return or resettlement without a best-interest
   determination. Areas register `guard(case, subject) -> reason or None`; services call
   `check_decision_allowed(case, subject)` before saving; it raises `DecisionBlocked` with the first reason.
3. **Listeners.** Areas that must hear of every decision (the child's guardian is notified of each) register a
   listener; services call `decision_recorded(event)` inside their transaction and listeners run after it
   commits, each on its own (like palermo.identification.events). Events carry ids and labels only.

A plain registry of functions, not Django signals: the list can be read and nothing runs unless asked.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.core.fields import EncryptedTextField
from palermo.core.registry import Registry


class DecisionSubject(enum.StrEnum):
    """What a decision is about: guards use this to decide whether they apply."""

    IDENTIFICATION = "identification"
    LEGAL_STATUS = "legal_status"  # reflection period, permits, asylum, humanitarian grounds
    CARE = "care"
    RETURN = "return"
    RESETTLEMENT = "resettlement"
    ASSISTANCE = "assistance"
    OTHER = "other"


# --- the child's views ----------


class ChildViewsRecord(models.Model):
    """Abstract: the child's participation in one decision. Blank on an adult's case."""

    child_views = EncryptedTextField(_("the child's views"), tier=4, blank=True)
    child_not_heard_reason = EncryptedTextField(_("why the child was not heard"), tier=4, blank=True)
    child_age_when_heard = models.PositiveSmallIntegerField(_("the child's age"), null=True, blank=True)
    child_interpreter = models.CharField(
        _("interpreter (name, or language and service)"), max_length=200, blank=True
    )

    class Meta:
        abstract = True


CHILD_VIEWS_FIELDS = ("child_views", "child_not_heard_reason", "child_age_when_heard", "child_interpreter")
# The two narrative texts (T4); the age and the interpreter say nothing of what the child said.
CHILD_VIEWS_TEXTS = ("child_views", "child_not_heard_reason")


def states_child_views(values: dict[str, Any]) -> bool:
    """Whether these values hold any narrative about the child (the views, or why the child was not heard)."""
    return any(str(values.get(name) or "").strip() for name in CHILD_VIEWS_TEXTS)


def may_read_child_views(
    membership: Any, *, reads_narrative: bool, author_id: int | None, author_agency_id: int | None
) -> bool:
    """Whether this membership may read one decision's child's views: when it may read T4 on the case, or when
    it is the decision's author (the user who recorded it, acting for the agency it was recorded for), who
    wrote them as part of the decision. Nothing else of the case's narrative follows from that authorship."""
    if reads_narrative:
        return True
    return (
        membership is not None
        and author_id is not None
        and (author_id, author_agency_id) == (membership.user_id, membership.agency_id)
    )


def child_views_problems(is_child: bool, values: dict[str, Any]) -> dict[str, str]:
    """Field -> message for what a child's case lacks (empty for an adult's case or a complete record)."""
    if not is_child:
        return {}
    problems: dict[str, str] = {}
    views = str(values.get("child_views") or "").strip()
    not_heard = str(values.get("child_not_heard_reason") or "").strip()
    if not views and not not_heard:
        problems["child_views"] = str(
            _("On a child's case, record the child's views, or why the child was not heard.")
        )
    if views and values.get("child_age_when_heard") in (None, ""):
        problems["child_age_when_heard"] = str(_("Give the child's age when the child was heard."))
    return problems


class ChildViewsMissing(ValueError):
    """A decision on a child's case without the child's views or a reason they were not heard."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def require_child_views(is_child: bool, values: dict[str, Any]) -> None:
    problems = child_views_problems(is_child, values)
    if problems:
        raise ChildViewsMissing(problems)


# --- guards ----------


class DecisionBlocked(ValueError):
    """A guard refused the decision; the message says what must happen first (no personal data)."""


Guard = Callable[[Any, DecisionSubject], "str | None"]
_guards: Registry[Guard] = Registry()
register_guard = _guards.add
remove_guard = _guards.remove


def check_decision_allowed(case: Any, subject: DecisionSubject) -> None:
    for guard in tuple(_guards):
        reason = guard(case, subject)
        if reason:
            raise DecisionBlocked(reason)


# --- listeners ----------


@dataclass(frozen=True)
class DecisionRecorded:
    case_id: int
    subject: DecisionSubject
    # A short, non-identifying label such as "Presumed victim decision: positive".
    label: str
    object_type: str
    object_id: int
    decided_at: datetime.datetime
    actor_id: int | None = None


Listener = Callable[[DecisionRecorded], None]
_listeners: Registry[Listener] = Registry()
register_listener = _listeners.add
remove_listener = _listeners.remove


def decision_recorded(event: DecisionRecorded) -> None:
    """Schedule each listener for after the transaction commits; a failing one does not stop others."""
    _listeners.call_on_commit(event)
