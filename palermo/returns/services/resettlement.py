"""Third-country resettlement of adults (docs/decisions/0039): where return is not safe and staying is not
possible, the person may be resettled to a third country, usually through UNHCR or IOM or a State's own
programme. A process, not only an application: the grounds, the receiving State and the programme, the steps
with their dates (referral, interviews, medical check, orientation, documents), and the outcome (accepted or
refused by the receiving State, resettled, or withdrawn by the person).

On a child's case relocation to a third country is the children area's durable solution; both pass the same
decision guards (palermo.core.decisions).
"""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.services.timeline import Entry
from palermo.children.services.common import edited_on_record, saved_on_record
from palermo.core.decisions import DecisionSubject, check_decision_allowed
from palermo.core.stamps import signed
from palermo.core.transitions import Lifecycle, moves
from palermo.returns import models as m
from palermo.returns.services.common import (
    RETURNS,
    clean_country,
    clean_past_day,
    clean_text,
    refuse_if_open,
)
from palermo.returns.services.returns import may_work_on_return, require_return_writer

STARTED = Entry(
    gettext_noop("Resettlement to a third country started"),
    "returns.resettlement.start",
    Tier.METADATA,
    RETURNS,
)
STEP = Entry(gettext_noop("Resettlement step recorded"), "returns.resettlement.step", Tier.METADATA, RETURNS)
OUTCOME = Entry(
    gettext_noop("Resettlement outcome recorded"), "returns.resettlement.outcome", Tier.METADATA, RETURNS
)
LIFECYCLE = Lifecycle(
    noun=_("resettlement"),
    statuses=m.ResettlementStatus,
    transitions=moves(
        {
            m.ResettlementStatus.PREPARING: [m.ResettlementStatus.SUBMITTED, m.ResettlementStatus.WITHDRAWN],
            m.ResettlementStatus.SUBMITTED: [
                m.ResettlementStatus.ACCEPTED,
                m.ResettlementStatus.REFUSED,
                m.ResettlementStatus.WITHDRAWN,
            ],
            m.ResettlementStatus.ACCEPTED: [m.ResettlementStatus.DEPARTED, m.ResettlementStatus.WITHDRAWN],
        }
    ),
)
OPEN = (m.ResettlementStatus.PREPARING, m.ResettlementStatus.SUBMITTED, m.ResettlementStatus.ACCEPTED)
# Moves that are a decision on the person's status (the receiving State's, or the departure).
DECISIONS = {m.ResettlementStatus.ACCEPTED, m.ResettlementStatus.DEPARTED}

may_work_on_resettlement = may_work_on_return


def _require(membership: Membership, case: Case) -> None:
    if case_is_child(case):
        raise ValidationError(
            _(
                "On a child's case relocation to a third country is decided as the child's durable solution, "
                "in the child protection section."
            ),
            code="child",
        )
    require_return_writer(membership, case)


def resettlement_start(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    ground: str,
    grounds: str,
    receiving_country: str,
    channel: str,
    started_on: datetime.date,
    programme: str = "",
) -> m.Resettlement:
    _require(membership, case)
    if ground not in m.ResettlementGround.values:
        raise ValidationError({"ground": _("Choose the grounds for resettlement.")})
    if channel not in m.ResettlementChannel.values:
        raise ValidationError({"channel": _("Choose the programme (UNHCR, IOM or a State's own).")})
    record = m.Resettlement(
        case=case,
        ground=ground,
        grounds=clean_text(grounds, "grounds"),
        receiving_country=clean_country(receiving_country, "receiving_country", required=True),
        channel=channel,
        programme=(programme or "").strip()[:200],
        started_on=clean_past_day(started_on, "started_on"),
        **signed(actor, membership),
    )
    in_progress = _("This case has a resettlement in progress already.")
    before = partial(refuse_if_open, m.Resettlement, case, OPEN, in_progress)
    return saved_on_record(record, STARTED, actor=actor, membership=membership, case=case, before=before)


def resettlement_step(
    *,
    actor: User,
    membership: Membership,
    resettlement: m.Resettlement,
    kind: str,
    on: datetime.date,
    note: str = "",
) -> m.ResettlementStep:
    case = resettlement.case
    _require(membership, case)
    if kind not in m.ResettlementStepKind.values:
        raise ValidationError({"kind": _("Choose the step.")})
    on = clean_past_day(on, "on")
    if on < resettlement.started_on:
        raise ValidationError({"on": _("A step cannot come before the resettlement started.")})
    if resettlement.status not in OPEN:
        raise ValidationError(_("This resettlement is over: no more steps."), code="over")
    step = m.ResettlementStep(
        resettlement=resettlement,
        case=case,
        kind=kind,
        on=on,
        note=clean_text(note, "note", required=False),
        **signed(actor, membership),
    )
    return saved_on_record(step, STEP, actor=actor, membership=membership, case=case)


def resettlement_move(
    *,
    actor: User,
    membership: Membership,
    resettlement: m.Resettlement,
    status: str,
    on: datetime.date,
    expected_version: int,
) -> m.Resettlement:
    """The next stage or the outcome, with its date: submitted, accepted or refused by the receiving State,
    resettled (departed), or withdrawn by the person."""
    case = resettlement.case
    _require(membership, case)
    on = clean_past_day(on, "on")
    if on < resettlement.started_on:
        raise ValidationError({"on": _("This cannot come before the resettlement started.")})
    if status in DECISIONS:
        check_decision_allowed(case, DecisionSubject.RESETTLEMENT)
    return edited_on_record(
        resettlement,
        OUTCOME,
        expected_version,
        actor=actor,
        membership=membership,
        values={"outcome_on": on},
        prepare=lambda locked: LIFECYCLE.apply(locked, status),
    )
