"""Proceedings (criminal, civil, labour), the people of each case taking part, hearings with their protective
measures, and the statement log: the investigator's and prosecutor's writes.

A proceeding is opened from one case (the person's role in it) and may be joined by other cases (several
victims of one group) by a member who may write both; each team sees only its own person's part. A hearing
is a deadline on every case taking part, and so is asking for its protective measures
(`justice.hearing_measures_days` before it); once held, the risk assessment of each person taking part is due
for review at once (palermo.justice.services.risk.risk_review_now).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

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
from palermo.core.transitions import IllegalTransition, Lifecycle, moves
from palermo.deadlines.services import cancel_deadlines, complete_deadlines, set_deadline_on
from palermo.justice.models import (
    Adjournment,
    AdjournmentReason,
    Charge,
    Hearing,
    HearingMeasure,
    HearingMeasureKind,
    HearingStatus,
    MeasureDecision,
    PartyRole,
    Proceeding,
    ProceedingKind,
    ProceedingOutcome,
    ProceedingParty,
    RiskTrigger,
    Stage,
    Statement,
    StatementKind,
    Summons,
)
from palermo.justice.services.common import (
    HEARING_KIND,
    MEASURES_REQUEST_KIND,
    NAME_MAX_LENGTH,
    clean_choice,
    clean_past_day,
    clean_text,
    may_read_part,
    may_write_part,
    proceedings_entry,
    save_change,
)
from palermo.justice.services.risk import risk_review_now

OPENED = proceedings_entry(gettext_noop("Proceedings recorded"), "justice.proceeding_open")
JOINED = proceedings_entry(gettext_noop("Takes part in proceedings"), "justice.proceeding_join")
ROLE_CHANGED = JOINED._replace(summary=gettext_noop("Role in proceedings changed"))
UPDATED = proceedings_entry(
    gettext_noop("Proceedings: stage or outcome changed"), "justice.proceeding_update"
)
HEARING_SET = proceedings_entry(gettext_noop("Hearing scheduled"), "justice.hearing_set")
HEARING_HELD = proceedings_entry(gettext_noop("Hearing held"), "justice.hearing_held")
HEARING_ADJOURNED = proceedings_entry(
    gettext_noop("Hearing put off to another day"), "justice.hearing_adjourn"
)
HEARING_CANCELLED = proceedings_entry(gettext_noop("Hearing cancelled"), "justice.hearing_cancel")
MEASURE_ASKED = proceedings_entry(
    gettext_noop("Protective measure asked for a hearing"), "justice.hearing_measure"
)
MEASURE_DECIDED = proceedings_entry(
    gettext_noop("Protective measure for a hearing decided"), "justice.hearing_measure_decide"
)
STATEMENT_LOGGED = proceedings_entry(gettext_noop("Statement recorded in the log"), "justice.statement")

# Stages in order; a proceeding moves forward, or closes from any stage (and an appeal may follow a close).
STAGES = Lifecycle(
    noun=_("proceeding"),
    statuses=Stage,
    transitions=moves(
        {
            Stage.INVESTIGATION: {Stage.PROSECUTION, Stage.CLOSED},
            Stage.PROSECUTION: {Stage.TRIAL, Stage.CLOSED},
            Stage.CLAIM: {Stage.TRIAL, Stage.CLOSED},
            Stage.TRIAL: {Stage.APPEAL, Stage.CLOSED},
            Stage.APPEAL: {Stage.CLOSED},
            Stage.CLOSED: {Stage.APPEAL},
        }
    ),
    field="stage",
)
# A hearing is held or cancelled once; put off to another day, it stays scheduled (on its new day).
HEARINGS = Lifecycle(
    noun=_("hearing"),
    statuses=HearingStatus,
    transitions=moves({HearingStatus.SCHEDULED: {HearingStatus.HELD, HearingStatus.CANCELLED}}),
)
LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES) | frozenset(
    {"en", "fr", "de", "it", "es", "nl", "ro", "ru", "uk", "sq", "el", "pt", "pl", "bg", "ar"}
)


def clean_language(code: str) -> str:
    code = (code or "").strip().lower()
    if code not in LANGUAGE_CODES:
        raise ValidationError(_("Choose the authority's language."), code="language")
    return code


def _clean_charges(charges: Sequence[str]) -> list[str]:
    for charge in charges:
        clean_choice(charge, Charge, _("Choose the charges from the list."))
    return list(dict.fromkeys(charges))


class Part(NamedTuple):
    """The person's part in proceedings: their role, and whether their identity is withheld from the court's
    documents (then the pseudonym those use instead). The party's fields of the same names."""

    role: str
    identity_withheld: bool
    pseudonym: str


def _clean_part(role: str, identity_withheld: bool, pseudonym: str) -> Part:
    """The part with its pseudonym checked (the role is checked with the service's other choices)."""
    pseudonym = clean_text(pseudonym, limit=100)
    if identity_withheld and not pseudonym:
        raise ValidationError(
            _("Under identity non-disclosure, give the pseudonym the court documents use."), code="pseudonym"
        )
    return Part(role, identity_withheld, pseudonym)


def _take_part(proceeding: Proceeding, case: Case, part: Part, day: datetime.date) -> ProceedingParty:
    """The case's person takes part in the proceedings from `day`."""
    return ProceedingParty.objects.create(proceeding=proceeding, case=case, **part._asdict(), joined_on=day)


def require_proceedings(membership: Membership, case: Case, tier: int = Tier.METADATA) -> None:
    require(may_write_part(membership, case, JusticePart.PROCEEDINGS, tier), "may not write proceedings here")


def party_of(proceeding: Proceeding, case: Case) -> ProceedingParty:
    party = ProceedingParty.objects.filter(proceeding=proceeding, case=case).first()
    if party is None:
        raise ValidationError(_("This case takes no part in these proceedings."), code="not_a_party")
    party.case = case
    return party


@transaction.atomic
def proceeding_open(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    kind: str,
    authority: str,
    language: str,
    role: str,
    file_number: str = "",
    stage: str = "",
    charges: Sequence[str] = (),
    opened_on: datetime.date | None = None,
    identity_withheld: bool = False,
    pseudonym: str = "",
) -> Proceeding:
    """Record proceedings the case's person takes part in, and their role in them."""
    file_number = clean_text(file_number, limit=100)
    part = _clean_part(role, identity_withheld, pseudonym)
    tier = Tier.IDENTITY if file_number or part.pseudonym else Tier.METADATA
    require_proceedings(membership, case, tier)
    clean_choice(kind, ProceedingKind, _("Choose the kind of proceedings."))
    clean_choice(role, PartyRole, _("Choose the person's role."))
    stage = stage or (Stage.INVESTIGATION if kind == ProceedingKind.CRIMINAL else Stage.CLAIM)
    clean_choice(stage, Stage, _("Choose the stage."))
    day = clean_past_day(opened_on, case)
    proceeding = Proceeding.objects.create(
        kind=kind,
        authority=clean_text(
            authority, required=True, limit=NAME_MAX_LENGTH, missing=_("Name the court or authority.")
        ),
        file_number=file_number,
        language=clean_language(language),
        stage=stage,
        charges=_clean_charges(charges),
        opened_on=day,
        **stamped(actor, membership, by="created_by", at="created_at"),
    )
    party = _take_part(proceeding, case, part, day)
    record_entry(OPENED, party, actor=actor, membership=membership, case=case, audit_tier=tier)
    return proceeding


@transaction.atomic
def proceeding_join(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    proceeding: Proceeding,
    role: str,
    identity_withheld: bool = False,
    pseudonym: str = "",
) -> ProceedingParty:
    """Another case's person takes part in the same proceedings. Whoever links them writes proceedings on
    this case; nothing of the other parties is shown to this case's team."""
    part = _clean_part(role, identity_withheld, pseudonym)
    require_proceedings(membership, case, Tier.IDENTITY if part.pseudonym else Tier.METADATA)
    clean_choice(role, PartyRole, _("Choose the person's role."))
    # Only someone who works on the proceedings through another case taking part may add this one to them.
    others = proceeding.parties.select_related("case__lead_agency").exclude(case=case)
    if not any(may_read_part(membership, party.case, JusticePart.PROCEEDINGS) for party in others):
        raise ValidationError({"proceeding": _("No proceedings with this number that you work on.")})
    if ProceedingParty.objects.filter(proceeding=proceeding, case=case).exists():
        raise ValidationError(_("This case already takes part in these proceedings."), code="already_party")
    party = _take_part(proceeding, case, part, today())
    for hearing in proceeding.hearings.to_come():
        _summon(hearing, party)
    record_entry(JOINED, party, actor=actor, membership=membership, case=case)
    return party


@transaction.atomic
def party_update(
    *,
    actor: User,
    membership: Membership,
    party: ProceedingParty,
    role: str,
    identity_withheld: bool,
    pseudonym: str,
    expected_version: int,
) -> ProceedingParty:
    """Change the person's role, or put their identity under non-disclosure (with the pseudonym)."""
    part = _clean_part(role, identity_withheld, pseudonym)
    require_proceedings(membership, party.case, Tier.IDENTITY)
    clean_choice(role, PartyRole, _("Choose the person's role."))
    locked = lock_for_edit(ProceedingParty, pk=party.pk, expected_version=expected_version)
    locked.case = party.case
    locked.role, locked.identity_withheld, locked.pseudonym = part
    save_change(
        locked, ROLE_CHANGED, Part._fields, actor=actor, membership=membership, audit_tier=Tier.IDENTITY
    )
    return locked


@transaction.atomic
def proceeding_update(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    proceeding: Proceeding,
    stage: str,
    outcome: str,
    sentence: str = "",
    charges: Sequence[str] | None = None,
    expected_version: int,
) -> Proceeding:
    """Move the proceedings to another stage, record the outcome and sentence, correct the charges."""
    require_proceedings(membership, case)
    party_of(proceeding, case)
    clean_choice(outcome, ProceedingOutcome, _("Choose the outcome."))
    sentence = clean_text(sentence, limit=300)
    locked = lock_for_edit(Proceeding, pk=proceeding.pk, expected_version=expected_version)
    fields = ["outcome", "sentence", "version"]
    if stage != locked.stage:
        fields += [name for name in STAGES.apply(locked, stage) if name not in fields]
    else:
        bump_version(locked)
    if charges is not None:
        locked.charges = _clean_charges(charges)
        fields.append("charges")
    locked.outcome, locked.sentence = outcome, sentence
    locked.save(update_fields=fields)
    if locked.stage == Stage.CLOSED:
        _cancel_hearings(locked.hearings.filter(status=HearingStatus.SCHEDULED))
    record_entry(UPDATED, locked, actor=actor, membership=membership, case=case)
    return locked


def measures_due_on(hearing_day: datetime.date) -> datetime.date:
    return add_days(hearing_day, -rulebook().justice.hearing_measures_days)


def _summon(hearing: Hearing, party: ProceedingParty) -> Summons:
    """Call one party to the hearing: its team's deadlines for the day and for asking for measures."""
    summons, _created = Summons.objects.get_or_create(hearing=hearing, party=party)
    _set_deadlines(summons, hearing)
    return summons


def _set_deadlines(summons: Summons, hearing: Hearing, *, ask: bool = True) -> None:
    """One party's deadlines for the hearing's day and, unless `ask` is false, for asking for measures
    before it (a moved deadline is open again)."""
    case, agency = summons.party.case, hearing.agency
    set_deadline_on(hearing.held_on, case=case, kind=HEARING_KIND, source=summons, agency=agency)
    if ask:
        measures_day = max(today(), measures_due_on(hearing.held_on))
        set_deadline_on(measures_day, case=case, kind=MEASURES_REQUEST_KIND, source=summons, agency=agency)


def _locked_hearing(membership: Membership, case: Case, hearing: Hearing, expected_version: int) -> Hearing:
    """The hearing, locked for a change at the version read, for a writer of proceedings on a case called
    to it."""
    require_proceedings(membership, case)
    party_of(hearing.proceeding, case)
    return lock_for_edit(Hearing, pk=hearing.pk, expected_version=expected_version)


def _clean_hearing(held_on: datetime.date | None, court: str, purpose: str) -> tuple[datetime.date, str, str]:
    if held_on is None:
        raise ValidationError(_("Give the day of the hearing."), code="held_on")
    court = clean_text(court, required=True, limit=NAME_MAX_LENGTH, missing=_("Name the court."))
    return held_on, court, clean_text(purpose, limit=NAME_MAX_LENGTH)


@transaction.atomic
def hearing_schedule(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    proceeding: Proceeding,
    held_on: datetime.date | None,
    court: str,
    purpose: str = "",
) -> Hearing:
    """A hearing of the proceedings: every case taking part is called to it, with its deadlines."""
    require_proceedings(membership, case)
    party_of(proceeding, case)
    if proceeding.stage == Stage.CLOSED:
        raise ValidationError(_("These proceedings are closed."), code="closed")
    held_on, court, purpose = _clean_hearing(held_on, court, purpose)
    hearing = Hearing.objects.create(
        proceeding=proceeding,
        held_on=held_on,
        court=court,
        purpose=purpose,
        **stamped(actor, membership, by="created_by", at="created_at"),
    )
    for party in proceeding.parties.select_related("case"):
        _summon(hearing, party)
    record_entry(HEARING_SET, hearing, actor=actor, membership=membership, case=case)
    return hearing


@transaction.atomic
def hearing_held(
    *, actor: User, membership: Membership, case: Case, hearing: Hearing, expected_version: int
) -> Hearing:
    """The hearing took place: its deadlines are done, and each person's risk is reviewed at once."""
    locked = _locked_hearing(membership, case, hearing, expected_version)
    if locked.held_on > today():
        raise ValidationError(_("A hearing cannot be held before its day."), code="future")
    locked.save(update_fields=HEARINGS.apply(locked, HearingStatus.HELD))
    for summons in Summons.objects.filter(hearing=locked).select_related("party__case"):
        complete_deadlines(summons, HEARING_KIND, MEASURES_REQUEST_KIND)
        risk_review_now(
            actor=actor, membership=membership, case=summons.party.case, trigger=RiskTrigger.HEARING
        )
    record_entry(HEARING_HELD, locked, actor=actor, membership=membership, case=case)
    return locked


@transaction.atomic
def hearing_adjourn(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    hearing: Hearing,
    to_day: datetime.date | None,
    reason: str,
    expected_version: int,
) -> Hearing:
    """The court put the hearing off to another day: the hearing moves there with its measures, every case
    called to it has its deadlines moved (asking for measures not yet asked falls due before the new day),
    and the adjournment is kept with its reason."""
    locked = _locked_hearing(membership, case, hearing, expected_version)
    clean_choice(reason, AdjournmentReason, _("Choose why the hearing was put off."))
    if not locked.scheduled:
        raise IllegalTransition(
            gettext("This hearing is %(status)s: it can no longer be put off."),
            params={"status": locked.get_status_display().lower()},
        )
    to_day = _clean_new_day(to_day, locked.held_on)
    Adjournment.objects.create(
        hearing=locked, from_day=locked.held_on, to_day=to_day, reason=reason, **stamped(actor, membership)
    )
    locked.held_on = to_day
    bump_version(locked)
    locked.save(update_fields=["held_on", "version"])
    for summons in Summons.objects.filter(hearing=locked).select_related("party__case"):
        # Measures asked already: asking stays done.
        _set_deadlines(summons, locked, ask=not summons.measures.exists())
    record_entry(HEARING_ADJOURNED, locked, actor=actor, membership=membership, case=case)
    return locked


def _clean_new_day(day: datetime.date | None, set_for: datetime.date) -> datetime.date:
    """The day a hearing is put off to: after the day it was set for (a refusal names the field)."""
    if day is None:
        message = _("Give the new day of the hearing.")
    elif day <= set_for:
        message = _("The new day must come after the day the hearing was set for.")
    else:
        return day
    raise ValidationError({"to_day": ValidationError(message, code="to_day")})


@transaction.atomic
def hearing_cancel(
    *, actor: User, membership: Membership, case: Case, hearing: Hearing, expected_version: int
) -> Hearing:
    """The hearing will not take place: its deadlines end for every case called to it."""
    locked = _locked_hearing(membership, case, hearing, expected_version)
    _cancel_hearings([locked])
    record_entry(HEARING_CANCELLED, locked, actor=actor, membership=membership, case=case)
    return locked


def _cancel_hearings(hearings: Iterable[Hearing]) -> None:
    """Cancel the hearings, with every party's deadlines for them (for proceedings that closed, the close is
    the change on record)."""
    for hearing in hearings:
        hearing.save(update_fields=HEARINGS.apply(hearing, HearingStatus.CANCELLED))
        for summons in Summons.objects.filter(hearing=hearing):
            cancel_deadlines(summons)


def summons_of(hearing: Hearing, case: Case) -> Summons:
    summons = Summons.objects.filter(hearing=hearing, party__case=case).select_related("party").first()
    if summons is None:
        raise ValidationError(_("This case's person is not called to this hearing."), code="not_summoned")
    summons.party.case = case
    return summons


@transaction.atomic
def hearing_measure_request(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    hearing: Hearing,
    kind: str,
    requested_on: datetime.date | None = None,
) -> HearingMeasure:
    """Ask the court for a protective measure for this case's person at the hearing; asking for one answers
    the deadline to ask."""
    require(
        may_write_part(membership, case, JusticePart.PROCEEDINGS)
        or may_write_part(membership, case, JusticePart.CHOICES),
        "may not ask for measures here",
    )
    clean_choice(kind, HearingMeasureKind, _("Choose the measure."))
    summons = summons_of(hearing, case)
    if HearingMeasure.objects.filter(summons=summons, kind=kind).exists():
        raise ValidationError(_("This measure was already asked for this hearing."), code="already_asked")
    measure = HearingMeasure.objects.create(summons=summons, kind=kind, requested_on=requested_on or today())
    complete_deadlines(summons, MEASURES_REQUEST_KIND)
    record_entry(MEASURE_ASKED, measure, actor=actor, membership=membership, case=case)
    return measure


@transaction.atomic
def hearing_measure_decide(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    measure: HearingMeasure,
    decision: str,
    honoured: bool | None = None,
    decided_on: datetime.date | None = None,
    expected_version: int,
) -> HearingMeasure:
    """The court granted or refused the measure; after the hearing, whether a granted one was honoured."""
    require_proceedings(membership, case)
    clean_choice(decision, MeasureDecision, _("Choose the court's decision."))
    if honoured is not None and decision != MeasureDecision.GRANTED:
        raise ValidationError(_("Only a granted measure can be honoured or not."), code="honoured")
    locked = lock_for_edit(HearingMeasure, pk=measure.pk, expected_version=expected_version)
    locked.decision, locked.honoured = decision, honoured
    locked.decided_on = None if decision == MeasureDecision.REQUESTED else (decided_on or today())
    save_change(
        locked,
        MEASURE_DECIDED,
        ["decision", "honoured", "decided_on"],
        actor=actor,
        membership=membership,
        case=case,
    )
    return locked


@transaction.atomic
def statement_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    proceeding: Proceeding,
    kind: str,
    taken_on: datetime.date | None,
    taken_by: str,
    video_recorded: bool = False,
    hearing: Hearing | None = None,
) -> Statement:
    """One more time the person was interviewed or testified (or a recorded testimony was reused)."""
    require_proceedings(membership, case)
    party = party_of(proceeding, case)
    clean_choice(kind, StatementKind, _("Choose the kind of statement."))
    if hearing is not None and hearing.proceeding_id != proceeding.pk:
        raise ValidationError(_("Choose a hearing of these proceedings."), code="hearing")
    statement = Statement.objects.create(
        party=party,
        hearing=hearing,
        kind=kind,
        taken_on=clean_past_day(taken_on, case),
        taken_by=clean_text(taken_by, required=True, limit=NAME_MAX_LENGTH, missing=_("Say who took it.")),
        video_recorded=video_recorded,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record_entry(STATEMENT_LOGGED, statement, actor=actor, membership=membership, case=case)
    return statement
