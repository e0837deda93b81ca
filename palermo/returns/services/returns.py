"""Safe and voluntary return (docs/decisions/0039, 0050; position paper: a person returns only voluntarily
and safely, after a risk assessment made together with organisations in the country of origin).

The person asks, informed of their rights and options, in their language (`return_request`); a receiving
partner in the country of return (the origin area's directory) assesses the return and takes the person in
(`return_partner_assess`); the travel plan, the reception at arrival and the reintegration support are
planned (`return_plan`). The return is cleared to proceed (`return_clear`), and its arrival recorded
(`return_arrived`), only with all three of:

- the person's voluntary request, not withdrawn;
- a current risk assessment of the proceedings area (palermo.justice.selectors.current_risk_assessment) whose
  overall level is not high;
- a receiving partner whose assessment found the return safe.

A refusal names each that is missing (`ReturnNotReady.missing`). Withdrawing the request stops the return at
any point before arrival. After arrival the follow-up contacts of the rulebook (`returns.followup_days`) are
each a deadline until recorded.

On a child's case the same machinery runs, and the children area's rules apply on top
(palermo.children.returning, docs/decisions/0050): the latest best-interest determination recommends the
return, the family assessment is favourable, the child's and the guardian's views are recorded
(`return_views_record`), and the travel plan names the accompanying adult, never a police officer. A refusal
names those missing too, one by one; the follow-ups are at the children area's intervals
(`children.return_followup_days`), and clearing a child's return is announced as a decision (the guardian is
told). Both pass the same decision guards (palermo.core.decisions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.services.timeline import Entry, in_record_language
from palermo.children.models import EscortRole
from palermo.children.returning import CHILD_RETURN_RULES, POLICE_ESCORT, missing_for_child_return
from palermo.children.services.common import (
    ChildHeard,
    announce,
    child_views_of,
    edited_on_record,
    saved_on_record,
)
from palermo.children.services.followups import followup_contact_record, followups_schedule
from palermo.core import iso
from palermo.core.decisions import (
    DecisionSubject,
    check_decision_allowed,
    child_views_problems,
    states_child_views,
)
from palermo.core.periods import add_days
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import signed
from palermo.core.transitions import Lifecycle, Transition
from palermo.justice.models import RiskLevel
from palermo.justice.selectors import current_risk_assessment
from palermo.origin.models import Partner
from palermo.origin.selectors import partners_for_country
from palermo.returns.models import PartnerConclusion, ReturnFollowUp, ReturnStatus, VoluntaryReturn
from palermo.returns.services.common import (
    RETURNS,
    clean_country,
    clean_past_day,
    clean_text,
    refuse_if_open,
    require_write,
    today,
)

FOLLOWUP_KIND = "returns.followup"
REQUESTED = Entry(
    gettext_noop("Voluntary return requested"), "returns.return.request", Tier.METADATA, RETURNS
)
PARTNER_ASSESSED = Entry(
    gettext_noop("Receiving partner's assessment of the return recorded"),
    "returns.return.partner",
    Tier.LOCATION,
    RETURNS,
    audit_tier=Tier.NARRATIVE,
)
PLANNED = Entry(
    gettext_noop("Travel, reception and reintegration planned"),
    "returns.return.plan",
    Tier.METADATA,
    RETURNS,
    audit_tier=Tier.NARRATIVE,
)
CLEARED = Entry(gettext_noop("Return cleared to proceed"), "returns.return.clear", Tier.METADATA, RETURNS)
CLEARED_LABEL = gettext_noop("Return of the child cleared to proceed")
VIEWS_RECORDED = Entry(
    gettext_noop("The child's and the guardian's views on the return recorded"),
    "returns.return.views",
    Tier.NARRATIVE,
    RETURNS,
)
ARRIVED = Entry(
    gettext_noop("Return recorded; follow-up contacts scheduled"),
    "returns.return.arrive",
    Tier.METADATA,
    RETURNS,
)
WITHDRAWN = Entry(
    gettext_noop("Voluntary return withdrawn by the person"),
    "returns.return.withdraw",
    Tier.METADATA,
    RETURNS,
)
FOLLOWED_UP = Entry(
    gettext_noop("Follow-up contact after return recorded"),
    "returns.return.followup",
    Tier.NARRATIVE,
    RETURNS,
)
CLOSED = Entry(
    gettext_noop("Return closed after its follow-up contacts"),
    "returns.return.close",
    Tier.METADATA,
    RETURNS,
)
OPEN = (ReturnStatus.REQUESTED, ReturnStatus.CLEARED)

LIFECYCLE = Lifecycle(
    noun=_("return"),
    statuses=ReturnStatus,
    transitions=[
        Transition("clear", frozenset({ReturnStatus.REQUESTED}), ReturnStatus.CLEARED),
        Transition("arrive", frozenset({ReturnStatus.CLEARED}), ReturnStatus.RETURNED),
        Transition("withdraw", frozenset(OPEN), ReturnStatus.WITHDRAWN),
        Transition("close", frozenset({ReturnStatus.RETURNED}), ReturnStatus.CLOSED),
    ],
)

# What each missing condition is called in a refusal (the field it belongs to, and the plain words).
MISSING = {
    "request": _("The person's voluntary request is missing or was withdrawn."),
    "risk_assessment": _(
        "There is no current risk assessment: record one (or review the last one) in the proceedings section."
    ),
    "risk_high": _("The current risk assessment finds the risk high: the return cannot proceed."),
    "partner": _("No receiving partner has assessed the return as safe: record the partner's assessment."),
    "partner_expired": _(
        "The receiving partner's assessment is out of date: it clears a return for %(days)s days from the "
        "day it was made. Ask the partner to assess the return again and record it."
    ),
    # On a child's case, the children area's own rules, in its words.
    **CHILD_RETURN_RULES,
}


def missing_reason(name: str) -> str:
    """The plain words for a missing condition (a key of MISSING), with the rulebook's figure in them."""
    if name != "partner_expired":
        return str(MISSING[name])
    return str(MISSING[name]) % {"days": rulebook().returns.partner_assessment_valid_days}


def partner_assessment_valid_until(voluntary_return: VoluntaryReturn) -> datetime.date | None:
    """The last day the partner's assessment clears the return (rulebook returns.partner_assessment_valid_days
    from the day it was made); None without one."""
    if voluntary_return.partner_assessed_on is None:
        return None
    return add_days(voluntary_return.partner_assessed_on, rulebook().returns.partner_assessment_valid_days)


class ReturnNotReady(ValidationError):
    """The return may not proceed: `missing` names each condition not met (keys of MISSING)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__({name: missing_reason(name) for name in missing}, code="not_ready")
        self.missing = missing


def may_work_on_return(membership: Membership, case: Case) -> bool:
    return can_write(membership, case, Tier.NARRATIVE)


def may_record_child_views(membership: Membership, case: Case) -> bool:
    return case_is_child(case) and may_work_on_return(membership, case)


def require_return_writer(membership: Membership, case: Case) -> None:
    """What working on a return (or a resettlement) needs: write access at T4 on the case."""
    require_write(membership, case, Tier.NARRATIVE)


def open_return(case: Case) -> VoluntaryReturn | None:
    return VoluntaryReturn.objects.filter(case=case, status__in=OPEN).first()


def _still_open(locked: VoluntaryReturn) -> list[str]:
    """An edit of the return's details: refused once it is over (arrived, withdrawn or closed)."""
    if locked.status not in OPEN:
        raise LIFECYCLE.refuse(locked.status, "clear")
    return []


def return_request(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    country: str,
    requested_on: datetime.date,
    request_language: str,
    informed_on: datetime.date,
    request: str,
) -> VoluntaryReturn:
    """The person's informed, voluntary request to return, in their language (one open return a case)."""
    require_return_writer(membership, case)
    language = iso.normalise_language(request_language) if request_language else None
    if language is None:
        raise ValidationError({"request_language": _("Choose the language the person asked in.")})
    requested_on = clean_past_day(requested_on, "requested_on")
    informed_on = clean_past_day(informed_on, "informed_on")
    if informed_on > requested_on:
        raise ValidationError(
            {"informed_on": _("The person is informed of their rights and options before asking to return.")}
        )
    record = VoluntaryReturn(
        case=case,
        country=clean_country(country, required=True),
        requested_on=requested_on,
        request_language=language,
        informed_on=informed_on,
        request=clean_text(request, "request"),
        **signed(actor, membership),
    )
    in_progress = _("This case has a return in progress already.")
    before = partial(refuse_if_open, VoluntaryReturn, case, OPEN, in_progress)
    return saved_on_record(record, REQUESTED, actor=actor, membership=membership, case=case, before=before)


def return_partner_assess(
    *,
    actor: User,
    membership: Membership,
    voluntary_return: VoluntaryReturn,
    partner: Partner,
    assessed_on: datetime.date,
    conclusion: str,
    assessment: str,
    expected_version: int,
) -> VoluntaryReturn:
    """The receiving partner's assessment: a partner of the origin directory in the country of return."""
    case = voluntary_return.case
    require_return_writer(membership, case)
    if not partners_for_country(actor, voluntary_return.country).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("Choose an active partner in the country of return.")})
    if conclusion not in PartnerConclusion.values:
        raise ValidationError({"conclusion": _("Choose the partner's conclusion.")})
    values = {
        "partner": partner,
        "partner_assessed_on": clean_past_day(assessed_on, "assessed_on"),
        "partner_conclusion": conclusion,
        "partner_assessment": clean_text(assessment, "assessment"),
    }
    return edited_on_record(
        voluntary_return,
        PARTNER_ASSESSED,
        expected_version,
        actor=actor,
        membership=membership,
        values=values,
        prepare=_still_open,
    )


PLAN_FIELDS = ("travel_plan", "reception", "housing", "income", "medical", "education", "legal")
ESCORT_NAME_MAX = 200


def return_plan(
    *,
    actor: User,
    membership: Membership,
    voluntary_return: VoluntaryReturn,
    travel_on: datetime.date | None,
    expected_version: int,
    escort_role: str = "",
    escort_name: str = "",
    **plan: str,
) -> VoluntaryReturn:
    """The travel plan, the reception at arrival and the reintegration support (housing, income, medical,
    education, legal); each may be filled in as it is arranged. On a child's case the plan also names the
    adult who accompanies the child and their role (never a police officer)."""
    unknown = set(plan) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {sorted(unknown)}")
    case = voluntary_return.case
    require_return_writer(membership, case)
    texts = {name: clean_text(plan.get(name, ""), name, required=False) for name in PLAN_FIELDS}
    escort_role, escort_name = escort_role or "", (escort_name or "").strip()
    if escort_role == EscortRole.POLICE:
        raise ValidationError({"escort_role": POLICE_ESCORT})
    if escort_role and escort_role not in EscortRole.values:
        raise ValidationError({"escort_role": _("Choose the accompanying adult's role.")})
    if len(escort_name) > ESCORT_NAME_MAX:
        raise ValidationError(
            {"escort_name": _("At most %(limit)d characters.") % {"limit": ESCORT_NAME_MAX}}
        )
    if (escort_role or escort_name) and not case_is_child(case):
        raise ValidationError({"escort_role": _("An accompanying adult is named on a child's case only.")})

    def travel_after_request(locked: VoluntaryReturn) -> list[str]:
        _still_open(locked)
        if travel_on is not None and travel_on < locked.requested_on:
            raise ValidationError({"travel_on": _("The travel date cannot come before the request.")})
        return []

    values = {"travel_on": travel_on, "escort_role": escort_role, "escort_name": escort_name, **texts}
    return edited_on_record(
        voluntary_return,
        PLANNED,
        expected_version,
        actor=actor,
        membership=membership,
        values=values,
        prepare=travel_after_request,
    )


def missing_for(voluntary_return: VoluntaryReturn) -> list[str]:
    """What keeps the return from proceeding (keys of MISSING, in order), empty when nothing does."""
    missing = []
    if voluntary_return.status not in OPEN or not voluntary_return.request:
        missing.append("request")
    assessment = current_risk_assessment(voluntary_return.case)
    if assessment is None:
        missing.append("risk_assessment")
    elif assessment.overall_level == RiskLevel.HIGH:
        missing.append("risk_high")
    if voluntary_return.partner_id is None or voluntary_return.partner_conclusion != PartnerConclusion.SAFE:
        missing.append("partner")
    else:
        valid_until = partner_assessment_valid_until(voluntary_return)
        if valid_until is not None and valid_until < today():
            missing.append("partner_expired")
    if case_is_child(voluntary_return.case):
        missing += missing_for_child_return(voluntary_return.case, voluntary_return)
    return missing


def _move(
    voluntary_return: VoluntaryReturn,
    move: str,
    entry: Entry,
    *,
    actor: User,
    membership: Membership,
    expected_version: int,
    check: bool,
    guard: Callable[[VoluntaryReturn], None] | None = None,
    **values: object,
) -> VoluntaryReturn:
    """Move the return by the one Lifecycle at the version read: `check` the three conditions and the
    decision guards first, or run `guard`, which refuses by raising."""
    case = voluntary_return.case
    require_return_writer(membership, case)

    def checked_move(locked: VoluntaryReturn) -> list[str]:
        LIFECYCLE.check(move, current=locked.status)
        if guard is not None:
            guard(locked)
        if check:
            missing = missing_for(locked)
            if missing:
                raise ReturnNotReady(missing)
            check_decision_allowed(case, DecisionSubject.RETURN)
        return LIFECYCLE.apply(locked, move)

    return edited_on_record(
        voluntary_return,
        entry,
        expected_version,
        actor=actor,
        membership=membership,
        values=values,
        prepare=checked_move,
    )


def return_clear(
    *, actor: User, membership: Membership, voluntary_return: VoluntaryReturn, expected_version: int
) -> VoluntaryReturn:
    """Clear the return to proceed: refused (ReturnNotReady) naming each condition that is not met. On a
    child's case this is the decision on the child's return: announced, so the guardian is told."""
    with transaction.atomic():
        record = _move(
            voluntary_return,
            "clear",
            CLEARED,
            actor=actor,
            membership=membership,
            expected_version=expected_version,
            check=True,
        )
        if case_is_child(record.case):
            label = in_record_language(CLEARED_LABEL)
            announce(
                case=record.case, subject=DecisionSubject.RETURN, label=label, record=record, actor=actor
            )
    return record


def return_views_record(
    *,
    actor: User,
    membership: Membership,
    voluntary_return: VoluntaryReturn,
    expected_version: int,
    guardian_view: str = "",
    **heard: Unpack[ChildHeard],
) -> VoluntaryReturn:
    """A child's return: the child's views on it (or why the child was not heard, with the child's age and
    the interpreter) and the guardian's view (or the temporary representative's, until one is appointed).
    Either may come first: what is left blank stays as it was."""
    case = voluntary_return.case
    require_return_writer(membership, case)
    if not case_is_child(case):
        raise ValidationError(_("The child's and the guardian's views are recorded on a child's case only."))
    views = child_views_of(heard)
    gives_views = states_child_views(views)
    if gives_views:
        problems = child_views_problems(True, views)
        if problems:
            raise ValidationError(problems)
    text = clean_text(guardian_view, "guardian_view", required=False)
    if not gives_views and not text:
        raise ValidationError(
            {
                "guardian_view": _(
                    "Record the child's views (or why the child was not heard), the guardian's view, or both."
                )
            }
        )
    values = {**(views if gives_views else {}), **({"guardian_view": text} if text else {})}
    return edited_on_record(
        voluntary_return,
        VIEWS_RECORDED,
        expected_version,
        actor=actor,
        membership=membership,
        values=values,
        prepare=_still_open,
    )


def return_arrived(
    *,
    actor: User,
    membership: Membership,
    voluntary_return: VoluntaryReturn,
    returned_on: datetime.date,
    expected_version: int,
) -> VoluntaryReturn:
    """The person arrived: checked again (the risk may have changed since), then the follow-up contacts of
    the rulebook are scheduled, each a deadline."""
    returned_on = clean_past_day(returned_on, "returned_on")
    if returned_on < voluntary_return.requested_on:
        raise ValidationError({"returned_on": _("The return cannot come before it was requested.")})
    with transaction.atomic():
        record = _move(
            voluntary_return,
            "arrive",
            ARRIVED,
            actor=actor,
            membership=membership,
            expected_version=expected_version,
            check=True,
            returned_on=returned_on,
        )
        followups_schedule(
            ReturnFollowUp,
            FOLLOWUP_KIND,
            case=record.case,
            agency=membership.agency,
            returned_on=returned_on,
            days=followup_days(record.case),
            voluntary_return=record,
        )
    return record


def followup_days(case: Case) -> list[int]:
    """The follow-up intervals after arrival: the children area's for a child (children.return_followup_days),
    else the returns area's (returns.followup_days)."""
    rules = rulebook()
    days = rules.children.return_followup_days if case_is_child(case) else rules.returns.followup_days
    return [int(day) for day in days]


def return_withdraw(
    *,
    actor: User,
    membership: Membership,
    voluntary_return: VoluntaryReturn,
    withdrawn_on: datetime.date,
    expected_version: int,
) -> VoluntaryReturn:
    """The person withdraws the request: the return stops, whatever was planned."""
    return _move(
        voluntary_return,
        "withdraw",
        WITHDRAWN,
        actor=actor,
        membership=membership,
        expected_version=expected_version,
        check=False,
        withdrawn_on=clean_past_day(withdrawn_on, "withdrawn_on"),
    )


def return_followup_record(
    *,
    actor: User,
    membership: Membership,
    followup: ReturnFollowUp,
    contacted_on: datetime.date,
    situation: str,
) -> ReturnFollowUp:
    return followup_contact_record(
        followup,
        FOLLOWED_UP,
        FOLLOWUP_KIND,
        actor=actor,
        membership=membership,
        contacted_on=contacted_on,
        field="situation",
        text=situation,
    )


def _followups_done(voluntary_return: VoluntaryReturn) -> None:
    outstanding = ReturnFollowUp.objects.filter(
        voluntary_return=voluntary_return, contacted_on__isnull=True
    ).count()
    if outstanding:
        raise ValidationError(
            ngettext(
                "One follow-up contact is still to be made: record it before closing the return.",
                "%(count)d follow-up contacts are still to be made: record them before closing the return.",
                outstanding,
            )
            % {"count": outstanding},
            code="followups",
        )


def return_close(
    *,
    actor: User,
    membership: Membership,
    voluntary_return: VoluntaryReturn,
    closed_on: datetime.date,
    expected_version: int,
) -> VoluntaryReturn:
    """Close the return after its follow-ups: only once the person has arrived and every follow-up contact
    of the rulebook is recorded (the refusal says how many are still to be made)."""
    closed_on = clean_past_day(closed_on, "closed_on")
    returned_on = voluntary_return.returned_on
    if returned_on is not None and closed_on < returned_on:
        raise ValidationError({"closed_on": _("The return cannot be closed before the person arrived.")})
    return _move(
        voluntary_return,
        "close",
        CLOSED,
        actor=actor,
        membership=membership,
        expected_version=expected_version,
        check=False,
        guard=_followups_done,
        closed_on=closed_on,
    )
