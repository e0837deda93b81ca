"""The person's side of the proceedings: their informed choices, compensation claimed, awarded and paid,
offences they are suspected of with the requests not to prosecute or punish them, and immigration detention.

Choices are recorded by the case manager, the guardian or the person's lawyer, in the person's language and
with the day; no residence decider reads them (the matrix's cooperation guard), so a choice never changes a
residence or assistance decision. Awards may also be recorded by the prosecutor (they come out of the
criminal proceedings).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.matrix import JusticePart
from palermo.access.policy import require
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.models import Case
from palermo.cases.services.timeline import record_entry
from palermo.core import iso
from palermo.core.concurrency import lock_for_edit
from palermo.core.rulebooks import rulebook
from palermo.core.stamps import stamped
from palermo.justice.models import (
    Answer,
    CompensationClaim,
    CompensationPayment,
    CompensationRoute,
    Detention,
    InformedChoice,
    NonPunishmentRequest,
    Offence,
    OffenceKind,
    OffenceStatus,
    Proceeding,
    RequestOutcome,
)
from palermo.justice.services.common import (
    NAME_MAX_LENGTH,
    clean_choice,
    clean_past_day,
    clean_text,
    may_write_part,
    proceedings_entry,
    save_change,
)
from palermo.justice.services.proceedings import clean_language

CHOICES = proceedings_entry(gettext_noop("The person's informed choices recorded"), "justice.choices")
CLAIMED = proceedings_entry(gettext_noop("Compensation claimed"), "justice.claim")
AWARDED = proceedings_entry(gettext_noop("Compensation awarded"), "justice.award")
PAID = proceedings_entry(gettext_noop("Compensation paid"), "justice.payment")
OFFENCE = proceedings_entry(
    gettext_noop("Offence recorded for non-punishment"), "justice.offence", audit_tier=Tier.IDENTITY
)
REQUESTED = proceedings_entry(
    gettext_noop("Non-punishment requested from the prosecutor"), "justice.non_punishment"
)
ANSWERED = proceedings_entry(
    gettext_noop("Non-punishment request answered"), "justice.non_punishment_outcome"
)
DETAINED = proceedings_entry(gettext_noop("Immigration detention recorded"), "justice.detention")
RELEASED = proceedings_entry(gettext_noop("Released from detention"), "justice.release")
MAX_AMOUNT = Decimal("9999999999.99")
# What `choices_record` takes besides who acts and the case: the form's and the API's fields alike.
CHOICE_FIELDS = (
    "chosen_on",
    "language",
    "legal_information_given",
    "lawyer_assigned",
    "lawyer_free",
    "lawyer_name",
    "cooperates",
    "claims_compensation",
    "testifies",
    "notes",
)


def _proceeding_of(case: Case, proceeding: Proceeding | None) -> Proceeding | None:
    if proceeding is not None and not proceeding.parties.filter(case=case).exists():
        raise ValidationError(_("Choose proceedings this case takes part in."), code="proceeding")
    return proceeding


@transaction.atomic
def _clean_informed_language(value: str) -> str:
    """The language the person was informed in, as the person's own languages are kept (ISO 639-2)."""
    code = iso.normalise_language(value)
    if code is None:
        raise ValidationError({"language": _("Choose the language the person was informed in.")})
    return code


def choices_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    language: str,
    legal_information_given: bool,
    lawyer_assigned: bool,
    cooperates: str,
    claims_compensation: str,
    testifies: str,
    lawyer_free: bool | None = None,
    lawyer_name: str = "",
    notes: str = "",
    chosen_on: datetime.date | None = None,
) -> InformedChoice:
    """What the person chose on a day, informed in their language. Each record is kept: the latest is the
    person's choice now."""
    lawyer_name, notes = clean_text(lawyer_name, limit=NAME_MAX_LENGTH), clean_text(notes)
    tier = Tier.NARRATIVE if notes else Tier.IDENTITY if lawyer_name else Tier.METADATA
    require(may_write_part(membership, case, JusticePart.CHOICES, tier), "may not record choices here")
    for answer in (cooperates, claims_compensation, testifies):
        clean_choice(answer, Answer, _("Answer each choice."))
    choice = InformedChoice.objects.create(
        case=case,
        chosen_on=clean_past_day(chosen_on, case),
        language=_clean_informed_language(language),
        legal_information_given=legal_information_given,
        lawyer_assigned=lawyer_assigned,
        lawyer_free=lawyer_free if lawyer_assigned else None,
        lawyer_name=lawyer_name if lawyer_assigned else "",
        cooperates=cooperates,
        claims_compensation=claims_compensation,
        testifies=testifies,
        notes=notes,
        **stamped(actor, membership),
    )
    record_entry(CHOICES, choice, actor=actor, membership=membership, audit_tier=tier)
    return choice


def _amount(value: Decimal | str | float | None, *, required: bool = True) -> Decimal:
    if value in (None, ""):
        if required:
            raise ValidationError(_("Give the amount."), code="amount")
        return Decimal(0)
    try:
        amount = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError(_("Give the amount as a number."), code="amount") from error
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("Give an amount between 0 and 9,999,999,999.99."), code="amount")
    return amount.quantize(Decimal("0.01"))


def require_compensation(membership: Membership, case: Case) -> None:
    require(may_write_part(membership, case, JusticePart.COMPENSATION), "may not record compensation here")


@transaction.atomic
def claim_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    route: str,
    currency: str,
    claimed_amount: Decimal | str,
    claimed_on: datetime.date | None = None,
    proceeding: Proceeding | None = None,
) -> CompensationClaim:
    require_compensation(membership, case)
    clean_choice(route, CompensationRoute, _("Choose where compensation is claimed."))
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(_("Give the currency as its three-letter code (EUR, GBP...)."), code="currency")
    claim = CompensationClaim.objects.create(
        case=case,
        proceeding=_proceeding_of(case, proceeding),
        route=route,
        currency=currency,
        claimed_amount=_amount(claimed_amount),
        claimed_on=clean_past_day(claimed_on, case),
        **stamped(actor, membership),
    )
    record_entry(CLAIMED, claim, actor=actor, membership=membership)
    return claim


@transaction.atomic
def claim_award(
    *,
    actor: User,
    membership: Membership,
    claim: CompensationClaim,
    awarded_amount: Decimal | str,
    awarded_on: datetime.date | None = None,
    expected_version: int,
) -> CompensationClaim:
    """What the court or fund awarded (0: nothing)."""
    require_compensation(membership, claim.case)
    amount, day = _amount(awarded_amount), clean_past_day(awarded_on, claim.case)
    if day < claim.claimed_on:
        raise ValidationError(_("An award cannot come before the claim."), code="too_early")
    locked = lock_for_edit(CompensationClaim, pk=claim.pk, expected_version=expected_version)
    locked.case = claim.case
    locked.awarded_amount, locked.awarded_on = amount, day
    save_change(locked, AWARDED, ["awarded_amount", "awarded_on"], actor=actor, membership=membership)
    return locked


@transaction.atomic
def claim_payment(
    *,
    actor: User,
    membership: Membership,
    claim: CompensationClaim,
    amount: Decimal | str,
    paid_on: datetime.date | None = None,
    expected_version: int,
) -> CompensationPayment:
    """A payment actually received on an award; never more than is unpaid."""
    require_compensation(membership, claim.case)
    paid, day = _amount(amount), clean_past_day(paid_on, claim.case)
    locked = lock_for_edit(CompensationClaim, pk=claim.pk, expected_version=expected_version)
    locked.case = claim.case
    if locked.awarded_amount is None:
        raise ValidationError(_("Record the award before a payment."), code="not_awarded")
    if paid <= 0 or paid > locked.awarded_amount - locked.paid_amount:
        raise ValidationError(_("A payment is more than nothing and no more than is unpaid."), code="amount")
    payment = CompensationPayment.objects.create(
        claim=locked, amount=paid, paid_on=day, recorded_by=actor, recorded_at=timezone.now()
    )
    CompensationClaim.objects.filter(pk=locked.pk).update(
        paid_amount=F("paid_amount") + paid, version=F("version") + 1
    )
    record_entry(PAID, locked, actor=actor, membership=membership)
    return payment


def require_non_punishment(membership: Membership, case: Case, tier: int = Tier.METADATA) -> None:
    require(may_write_part(membership, case, JusticePart.NON_PUNISHMENT, tier), "may not record this here")


@transaction.atomic
def offence_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    kind: str,
    status: str,
    link: str,
    details: str = "",
    committed_on: datetime.date | None = None,
) -> Offence:
    """An offence the person is suspected, accused or convicted of, and its link to their being trafficked."""
    require_non_punishment(membership, case, Tier.IDENTITY)
    clean_choice(kind, OffenceKind, _("Choose the offence."))
    clean_choice(status, OffenceStatus, _("Choose where the offence stands."))
    offence = Offence.objects.create(
        case=case,
        kind=kind,
        status=status,
        committed_on=committed_on,
        details=clean_text(details),
        link=clean_text(link, required=True, missing=_("Say how the offence is linked to being trafficked.")),
        **stamped(actor, membership),
    )
    record_entry(OFFENCE, offence, actor=actor, membership=membership)
    return offence


@transaction.atomic
def non_punishment_request(
    *,
    actor: User,
    membership: Membership,
    offence: Offence,
    prosecutor: str,
    language: str,
    requested_on: datetime.date | None = None,
    proceeding: Proceeding | None = None,
) -> NonPunishmentRequest:
    """Ask the prosecutor not to prosecute or punish the person for the offence, citing the rulebook's legal
    basis (kept with the request: the law of that day); the letter is made from it."""
    case = offence.case
    require_non_punishment(membership, case)
    request = NonPunishmentRequest.objects.create(
        offence=offence,
        proceeding=_proceeding_of(case, proceeding),
        prosecutor=clean_text(
            prosecutor, required=True, limit=NAME_MAX_LENGTH, missing=_("Name the prosecutor.")
        ),
        language=clean_language(language),
        requested_on=clean_past_day(requested_on, case),
        legal_basis=rulebook().justice.non_punishment_basis,
        **stamped(actor, membership),
    )
    record_entry(REQUESTED, request, actor=actor, membership=membership, case=case)
    return request


@transaction.atomic
def non_punishment_outcome(
    *,
    actor: User,
    membership: Membership,
    request: NonPunishmentRequest,
    outcome: str,
    outcome_on: datetime.date | None = None,
    expected_version: int,
) -> NonPunishmentRequest:
    case = request.offence.case
    require_non_punishment(membership, case)
    clean_choice(outcome, RequestOutcome, _("Choose the prosecutor's answer."))
    locked = lock_for_edit(NonPunishmentRequest, pk=request.pk, expected_version=expected_version)
    locked.outcome = outcome
    locked.outcome_on = None if outcome == RequestOutcome.PENDING else clean_past_day(outcome_on, case)
    save_change(locked, ANSWERED, ["outcome", "outcome_on"], actor=actor, membership=membership, case=case)
    return locked


@transaction.atomic
def detention_record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    authority: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Detention:
    """Immigration detention of the person: flagged on the case while it lasts."""
    require_non_punishment(membership, case)
    starts = clean_past_day(starts_on, case)
    if ends_on is not None and ends_on < starts:
        raise ValidationError(_("A release cannot come before the detention."), code="ends_before_start")
    detention = Detention.objects.create(
        case=case,
        authority=clean_text(
            authority, required=True, limit=NAME_MAX_LENGTH, missing=_("Name the authority.")
        ),
        starts_on=starts,
        ends_on=ends_on,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record_entry(DETAINED, detention, actor=actor, membership=membership)
    return detention


@transaction.atomic
def detention_end(
    *,
    actor: User,
    membership: Membership,
    detention: Detention,
    ends_on: datetime.date | None = None,
    expected_version: int,
) -> Detention:
    require_non_punishment(membership, detention.case)
    locked = lock_for_edit(Detention, pk=detention.pk, expected_version=expected_version)
    locked.case = detention.case
    day = clean_past_day(ends_on, detention.case)
    if day < locked.starts_on:
        raise ValidationError(_("A release cannot come before the detention."), code="ends_before_start")
    locked.ends_on = day
    save_change(locked, RELEASED, ["ends_on"], actor=actor, membership=membership)
    return locked
