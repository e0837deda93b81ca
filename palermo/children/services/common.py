"""What every children service shares: the access check, the timeline entry with its audit event, the checks
and announcements of a decision, and the rulebook clock."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop
from django.utils.translation import gettext_lazy as _

from palermo.access.closure import require_open
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case, EventKind
from palermo.cases.services.timeline import Entry, in_record_language, record_entry
from palermo.core import iso
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.decisions import (
    DecisionRecorded,
    DecisionSubject,
    check_decision_allowed,
    decision_recorded,
    require_child_views,
)
from palermo.core.text import clean_field_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT = 20000
MAX_INTERPRETER = 200


def today() -> datetime.date:
    return timezone.localdate()


def day_start(day: datetime.date) -> datetime.datetime:
    """The start of a local day, as an aware datetime (deadlines are due at a moment)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def require_write(membership: Membership, case: Case, tier: int) -> None:
    if not can_write(membership, case, tier):
        require_open(case)  # say so when the case being closed is why (palermo.access.closure)
        raise PermissionDenied("this membership may not write this on this case")


def require_child_case(case: Case) -> None:
    if not case_is_child(case):
        raise ValidationError(_("This is not a child's case."), code="not_child")


def require_child_writer(membership: Membership, case: Case) -> None:
    """What recording on a child's record needs: a child's case, and write access at T4 on it."""
    require_child_case(case)
    require_write(membership, case, Tier.NARRATIVE)


def clean_text(value: str, field: str, *, required: bool = True) -> str:
    return clean_field_text(value, field, required=required, limit=MAX_TEXT)


def clean_past_day(value: datetime.date, field: str) -> datetime.date:
    if value > today():
        raise ValidationError({field: _("This date is in the future.")})
    return value


def clean_country(value: str, field: str = "country", *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError({field: _("Choose a country (ISO 3166 alpha-3 code).")})
        return ""
    code = iso.normalise_country(value)
    if code is None:
        raise ValidationError({field: _("Choose a country (ISO 3166 alpha-3 code).")})
    return code


class ChildHeard(TypedDict, total=False):
    """The child's views on a decision as forms and the API give them: the views, or why the child was not
    heard, the child's age then and the interpreter (each may be left out: blank on an adult's case)."""

    child_views: str
    child_not_heard_reason: str
    child_age_when_heard: int | None
    child_interpreter: str


def child_views_of(heard: ChildHeard) -> dict[str, Any]:
    """The child's-views fields of a decision, trimmed, named as the model and the checks name them."""
    unknown = set(heard) - set(ChildHeard.__annotations__)
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {sorted(unknown)}")
    interpreter = (heard.get("child_interpreter") or "").strip()
    if len(interpreter) > MAX_INTERPRETER:
        raise ValidationError(
            {"child_interpreter": _("At most %(limit)d characters.") % {"limit": MAX_INTERPRETER}}
        )
    return {
        "child_views": (heard.get("child_views") or "").strip(),
        "child_not_heard_reason": (heard.get("child_not_heard_reason") or "").strip(),
        "child_age_when_heard": heard.get("child_age_when_heard"),
        "child_interpreter": interpreter,
    }


def before_decision(case: Case, subject: DecisionSubject, views: dict[str, Any]) -> None:
    """The child's views are on record and no guard holds the decision back (DecisionBlocked if one does)."""
    require_child_views(case_is_child(case), views)
    check_decision_allowed(case, subject)


# A decision on the child and what was decided, as the guardian's notice says it ("Care: Foster family").
DECIDED = gettext_noop("%(decision)s: %(outcome)s")


def decision_on(
    subject: DecisionSubject, label: str, outcome: StrOrPromise = ""
) -> tuple[DecisionSubject, str]:
    """A decision to announce: its subject, and its `label` (a message marked with gettext_noop) in the
    record language, followed by the `outcome` (what was decided, a lazy label) when there is one; both
    remembered by their source, so that each reader of the guardian's notice reads it in their language."""
    if not outcome:
        return subject, in_record_language(label)
    return subject, in_record_language(DECIDED) % {"decision": gettext_lazy(label), "outcome": outcome}


def announce(*, case: Case, subject: DecisionSubject, label: str, record: models.Model, actor: User) -> None:
    """Tell the registered listeners (the guardian's notice among them) once the transaction commits."""
    decision_recorded(
        DecisionRecorded(
            case_id=case.pk,
            subject=subject,
            label=label,
            object_type=record._meta.label_lower,
            object_id=int(record.pk),
            decided_at=timezone.now(),
            actor_id=actor.pk,
        )
    )


# The kind of every entry the children services put on a case's timeline.
CHILD = EventKind.CHILD_PROTECTION


Record = TypeVar("Record", bound=models.Model)


def created_on_record(
    create: Callable[[], Record],
    entry: Entry,
    *,
    actor: User,
    membership: Membership,
    case: Case,
    decision: tuple[DecisionSubject, str] | None = None,
) -> Record:
    """A new record made and saved by `create` (with what goes with it: its participants, its deadline, what
    it replaces ended), with its timeline entry and audit event, in one transaction. A `decision` on the
    child's record (its subject, and its label in the record language) is announced once it commits."""
    with transaction.atomic():
        record = create()
        record_entry(entry, record, actor=actor, membership=membership, case=case)
        if decision is not None:
            announce(case=case, subject=decision[0], label=decision[1], record=record, actor=actor)
    return record


def saved_on_record(
    record: Record,
    entry: Entry,
    *,
    actor: User,
    membership: Membership,
    case: Case,
    before: Callable[[], None] | None = None,
    then: Callable[[Record], None] | None = None,
    decision: tuple[DecisionSubject, str] | None = None,
) -> Record:
    """`created_on_record` for a record the caller built: `before` runs first in the transaction (a check
    under lock, refusing by raising), `then` writes what goes with the saved record (its deadline)."""

    def create() -> Record:
        if before is not None:
            before()
        record.save()
        if then is not None:
            then(record)
        return record

    return created_on_record(create, entry, actor=actor, membership=membership, case=case, decision=decision)


def decided_on_record(
    made: Record | Callable[[], Record],
    entry: Entry,
    subject: DecisionSubject,
    label: str,
    outcome: StrOrPromise = "",
    *,
    views: dict[str, Any],
    actor: User,
    membership: Membership,
    case: Case,
) -> Record:
    """A decision on the child (`subject`): held back unless the child's views are on record and no guard
    holds it (`before_decision`); then the record the caller built (saved), or `made` by a function (created),
    on the case's record, announced as `label` with its `outcome` once it commits (`decision_on`)."""
    before_decision(case, subject, views)
    announced = decision_on(subject, label, outcome)
    if isinstance(made, models.Model):
        return saved_on_record(made, entry, actor=actor, membership=membership, case=case, decision=announced)
    return created_on_record(made, entry, actor=actor, membership=membership, case=case, decision=announced)


def edited_on_record(
    record: Record,
    entry: Entry,
    expected_version: int,
    *,
    actor: User,
    membership: Membership,
    values: Mapping[str, Any],
    prepare: Callable[[Record], Iterable[str]] | None = None,
    then: Callable[[Record], None] | None = None,
) -> Record:
    """An edit of `record` (a record of a case) at the version read, in one transaction: the row locked
    (StaleEdit when someone saved first); `prepare` checks the locked row, refusing by raising, and makes its
    status move (the fields it changed); `values` set; the version bumped unless the move did; the fields
    saved; `then` writes what follows from the edit; and the edit's timeline entry and audit event on the
    record's case. The locked, saved record."""
    case: Case = record.case  # type: ignore[attr-defined]
    with transaction.atomic():
        locked = lock_for_edit(type(record), pk=record.pk, expected_version=expected_version)
        changed = list(prepare(locked)) if prepare is not None else []
        for name, value in values.items():
            setattr(locked, name, value)
        if "version" not in changed:
            bump_version(locked)
            changed.append("version")
        locked.save(update_fields=[*changed, *values])
        if then is not None:
            then(locked)
        record_entry(entry, locked, actor=actor, membership=membership, case=case)
    return locked
