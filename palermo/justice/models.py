"""Protection in proceedings (issue 17; Taking a Stand, "Protection in investigation and criminal
proceedings"): the person's individual risk assessment and protection plan, the criminal proceedings and civil
or labour claims the case takes part in, their hearings with the protective measures asked for each, the
statements the person gave, the person's informed choices, compensation and non-punishment.

Tiers (palermo.access.tiers):
- Dates, stages, roles, kinds, levels, statuses and amounts are case metadata (T1): deadlines, the case page
  and the statistics feed work from them.
- A court file number, the court's name for the person (a pseudonym under identity non-disclosure) and the
  offences the person is suspected of are identity and legal status (T2).
- Where a measure is carried out (a secret address) and the reasons and sources of a risk rating, which say
  where the threat and the person's relatives are, are location (T3): the protection officer's.
- What the person said of their choices is narrative (T4).

Who may read or write any of it at all is the access matrix's `justice` entry of each role (docs/decisions/
0034): a residence decider reads nothing of this area, whatever tiers its team membership gives it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.accounts.models import User
from palermo.accounts.records import ForAgency, Recorded, RecordedBy
from palermo.cases.models import Case
from palermo.core.constraints import ChoiceField
from palermo.core.days import today
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
from palermo.core.records import NamedRow, Versioned


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskTrigger(models.TextChoices):
    """Why the assessment was made: the first one, a review at the date the rulebook set, or at once after an
    event that changes the risk."""

    INITIAL = "initial", _("First assessment")
    SCHEDULED = "scheduled", _("Scheduled review")
    HEARING = "hearing", _("After a hearing")
    SUSPECT_RELEASED = "suspect_released", _("A suspect was released")
    SIGHTING = "sighting", _("A suspect or trafficker was seen near the person")
    OTHER = "other", _("Other event")


class RiskFactor(models.TextChoices):
    """What is rated, in the paper's order."""

    RETALIATION = "retaliation", _("Retaliation against the person")
    RE_TRAFFICKING = "re_trafficking", _("Re-trafficking")
    RELATIVES_DESTINATION = "relatives_destination", _("Relatives in the country of destination")
    RELATIVES_ORIGIN = "relatives_origin", _("Relatives in the country of origin")
    HEALTH = "health", _("Health")
    STIGMA = "stigma", _("Stigma")


class RiskAssessment(NamedRow, ForAgency, Versioned, EncryptedModel):
    """One individual risk assessment, owned by the protection officer. Complete when `completed_on` is set;
    due for review on `review_on` (the rulebook's `justice.risk_review_days` after it was completed)."""

    row_name = "risk assessment {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    trigger = ChoiceField(RiskTrigger, _("why assessed now"), max_length=20)
    overall_level = ChoiceField(RiskLevel, _("overall risk"))
    assessed_on = models.DateField(_("assessed"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    review_on = models.DateField(_("review due"), null=True, blank=True, db_index=True)
    rulebook = models.CharField(max_length=60)
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("risk assessment")
        indexes = [models.Index(fields=["case", "completed_on"], name="justice_risk_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(review_on__gte=models.F("completed_on")),
                name="justice_risk_review_after",
            ),
        ]

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


class RiskRating(NamedRow, EncryptedModel):
    """One factor of an assessment: its level (T1) and the reasons and sources behind it, which say where the
    threat and the person's relatives are (T3)."""

    row_name = "{factor} rating of assessment {assessment_id}"

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="ratings")
    factor = ChoiceField(RiskFactor, _("risk"), max_length=25)
    level = ChoiceField(RiskLevel, _("level"))
    reasons = EncryptedTextField(_("reasons"), blank=True, tier=3)
    sources = EncryptedTextField(_("sources"), blank=True, tier=3)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "factor"], name="justice_rating_once"),
        ]


class MeasureKind(models.TextChoices):
    POLICE_PROTECTION = "police_protection", _("Police protection")
    SAFE_ACCOMMODATION = "safe_accommodation", _("Safe accommodation at a secret address")
    IDENTITY_CHANGE = "identity_change", _("Change of identity")
    RELOCATION = "relocation", _("Relocation")
    RELATIVES_PROTECTION = "relatives_protection", _("Protection of relatives")
    PANIC_ALARM = "panic_alarm", _("Panic alarm")
    OTHER = "other", _("Other measure")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In place")
    ENDED = "ended", _("Ended")


class ProtectionMeasure(NamedRow, Recorded, Versioned, EncryptedModel):
    """One measure of the protection plan: who carries it out, from and to when; where it is carried out
    (a secret address) is location (T3)."""

    row_name = "{kind} measure {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protection_measures")
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    kind = ChoiceField(MeasureKind, _("measure"), max_length=25)
    carried_out_by = models.CharField(_("carried out by"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = ChoiceField(MeasureStatus, _("status"), max_length=8, default=MeasureStatus.PLANNED)
    where = EncryptedCharField(_("where (secret address)"), max_length=300, blank=True, tier=3)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("protection measure")
        indexes = [models.Index(fields=["case", "status"], name="justice_measure_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="justice_measure_range",
            ),
        ]


# --- proceedings --------------------------------------------------------------------------------------------


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal proceedings")
    CIVIL = "civil", _("Civil claim")
    LABOUR = "labour", _("Labour claim")


class Stage(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    CLAIM = "claim", _("Claim lodged")
    TRIAL = "trial", _("Trial")
    APPEAL = "appeal", _("Appeal")
    CLOSED = "closed", pgettext_lazy("proceedings stage", "Closed")


class Charge(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SLAVERY = "slavery", _("Slavery or servitude")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    SMUGGLING = "smuggling", _("Smuggling of migrants")
    ORGANISED_CRIME = "organised_crime", _("Participation in an organised criminal group")
    MONEY_LAUNDERING = "money_laundering", _("Money laundering")
    DOCUMENT_FRAUD = "document_fraud", _("Document fraud")
    LABOUR_LAW = "labour_law", _("Breach of labour law")
    OTHER = "other", _("Other offence")


class ProceedingOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONVICTED = "convicted", _("Conviction")
    ACQUITTED = "acquitted", _("Acquittal")
    DISMISSED = "dismissed", _("Dismissed or discontinued")
    UPHELD = "upheld", _("Claim upheld")
    REJECTED = "rejected", _("Claim rejected")
    SETTLED = "settled", _("Settled")


class Proceeding(NamedRow, ForAgency, Versioned, EncryptedModel):
    """Criminal proceedings, or a civil or labour claim. Several cases may take part (several victims of one
    group, `ProceedingParty`); each team sees only its own person's part in it."""

    row_name = "{kind} proceeding {pk}"

    kind = ChoiceField(ProceedingKind, _("kind"), max_length=10)
    authority = models.CharField(_("court or authority"), max_length=200)
    # The court's file number says which case the person is in: identity and legal status (T2).
    file_number = EncryptedCharField(_("file number"), max_length=100, blank=True, tier=2)
    # The language the authority works in: the language of the letters written to it.
    language = models.CharField(_("language of the authority"), max_length=10)
    stage = ChoiceField(Stage, _("stage"), max_length=15, default=Stage.INVESTIGATION)
    charges = models.JSONField(_("charges"), default=list, blank=True)
    outcome = ChoiceField(ProceedingOutcome, _("outcome"), max_length=10, default=ProceedingOutcome.PENDING)
    sentence = models.CharField(_("sentence"), max_length=300, blank=True)
    opened_on = models.DateField(_("opened"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["opened_on", "id"]
        verbose_name = _("proceeding")
        indexes = [models.Index(fields=["kind", "stage"], name="justice_proceeding_stage")]

    def get_charges_display(self) -> list[str]:
        """The charges in words, in the order recorded (as Django's get_FOO_display says one choice)."""
        labels = dict(Charge.choices)
        return [str(labels.get(code, code)) for code in self.charges]


class PartyRole(models.TextChoices):
    WITNESS = "witness", _("Witness")
    INJURED_PARTY = "injured_party", _("Injured party")
    CIVIL_PARTY = "civil_party", _("Civil party")
    CLAIMANT = "claimant", _("Claimant")


class ProceedingParty(NamedRow, Versioned, EncryptedModel):
    """One case's person in a proceeding: their role and, under identity non-disclosure, the pseudonym the
    court documents use instead of their name (T2)."""

    row_name = "party {pk} of proceeding {proceeding_id}"

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="parties")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proceeding_parties")
    role = ChoiceField(PartyRole, _("the person's role"), max_length=15)
    identity_withheld = models.BooleanField(_("identity not disclosed"), default=False)
    pseudonym = EncryptedCharField(_("pseudonym in court documents"), max_length=100, blank=True, tier=2)
    joined_on = models.DateField(_("joined"))

    class Meta:
        ordering = ["proceeding", "id"]
        indexes = [models.Index(fields=["case", "proceeding"], name="justice_party_case")]
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "case"], name="justice_party_once"),
        ]


class HearingStatus(models.TextChoices):
    """A hearing is scheduled until it is held or cancelled; one put off stays scheduled, on its new day."""

    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class HearingQuerySet(models.QuerySet["Hearing"]):
    def to_come(self) -> HearingQuerySet:
        """Scheduled (neither held nor cancelled) for today or a later day: `Hearing.is_to_come`."""
        return self.filter(status=HearingStatus.SCHEDULED, held_on__gte=today())


class Hearing(NamedRow, ForAgency, Versioned, EncryptedModel):
    row_name = "hearing {pk} of proceeding {proceeding_id}"

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField(_("day of the hearing"), db_index=True)
    court = models.CharField(_("court"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    status = ChoiceField(HearingStatus, _("status"), max_length=10, default=HearingStatus.SCHEDULED)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = HearingQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("hearing")

    @property
    def held(self) -> bool:
        return self.status == HearingStatus.HELD

    @property
    def scheduled(self) -> bool:
        return self.status == HearingStatus.SCHEDULED

    @property
    def is_to_come(self) -> bool:
        """`HearingQuerySet.to_come` of one hearing read already."""
        return self.scheduled and self.held_on >= today()


class AdjournmentReason(models.TextChoices):
    """Why a hearing was put off, as a court's record says it. Repeated adjournments weigh on a victim
    witness, so each is kept."""

    ACCUSED_ABSENT = "accused_absent", _("The accused did not appear")
    WITNESS_ABSENT = "witness_absent", _("A witness did not appear")
    PERSON_UNABLE = "person_unable", _("The person could not attend")
    INTERPRETER = "interpreter", _("No interpreter was available")
    DEFENCE = "defence", _("At the defence's request")
    PROSECUTION = "prosecution", _("At the prosecution's request")
    COURT = "court", _("The court's schedule")
    OTHER = "other", _("Another reason")


class Adjournment(NamedRow, Recorded):
    """One time a hearing was put off to another day: the day it was set for, the new day, and why."""

    row_name = "adjournment {pk} of hearing {hearing_id}"

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="adjournments")
    from_day = models.DateField(_("set for"))
    to_day = models.DateField(_("put off to"))
    reason = ChoiceField(AdjournmentReason, _("reason"), max_length=15)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["hearing", "id"]


class HearingMeasureKind(models.TextChoices):
    NO_CONFRONTATION = "no_confrontation", _("No confrontation with the accused")
    VIDEO_LINK = "video_link", _("Testimony by audio-video link")
    RECORDED_TESTIMONY = "recorded_testimony", _("A single recorded testimony reused")
    SEPARATE_WAITING = "separate_waiting", _("Separate waiting rooms")
    SUPPORT_PERSON = "support_person", _("A support person present")
    CLOSED_HEARING = "closed_hearing", _("Closed hearing")
    IDENTITY_NON_DISCLOSURE = (
        "identity_non_disclosure",
        _("Identity not disclosed (a pseudonym in court documents)"),
    )
    LOCATION_NON_DISCLOSURE = "location_non_disclosure", _("Location not disclosed")
    POLICE_ESCORT = "police_escort", _("Police escort")


class MeasureDecision(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", pgettext_lazy("measure decision", "Granted")
    REFUSED = "refused", pgettext_lazy("measure decision", "Refused")


class Summons(NamedRow):
    """One person (party) called to one hearing: the deadlines of the hearing and of asking for its measures
    are each team's own, and the measures and their checklist hang on it."""

    row_name = "summons {pk} to hearing {hearing_id}"

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="summonses")
    party = models.ForeignKey(ProceedingParty, on_delete=models.PROTECT, related_name="summonses")

    class Meta:
        ordering = ["hearing", "id"]
        indexes = [models.Index(fields=["party", "hearing"], name="justice_summons_party")]
        constraints = [models.UniqueConstraint(fields=["hearing", "party"], name="justice_summons_once")]


class HearingMeasure(NamedRow, Versioned):
    """A protective measure asked for one person at one hearing: requested, granted or refused, and after the
    hearing whether a granted measure was honoured."""

    row_name = "{kind} for summons {summons_id}"

    summons = models.ForeignKey(Summons, on_delete=models.PROTECT, related_name="measures")
    kind = ChoiceField(HearingMeasureKind, _("measure"), max_length=25)
    decision = ChoiceField(MeasureDecision, _("decision"), max_length=10, default=MeasureDecision.REQUESTED)
    honoured = models.BooleanField(_("honoured"), null=True, blank=True)
    requested_on = models.DateField(_("requested"))
    decided_on = models.DateField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["summons", "id"]
        constraints = [
            models.UniqueConstraint(fields=["summons", "kind"], name="justice_hmeasure_once"),
        ]


class StatementKind(models.TextChoices):
    POLICE_INTERVIEW = "police_interview", _("Police interview")
    PROSECUTOR_INTERVIEW = "prosecutor_interview", _("Interview by the prosecutor")
    COURT_TESTIMONY = "court_testimony", _("Testimony in court")
    RECORDED_REUSED = "recorded_reused", _("Recorded testimony reused (no new interview)")


class Statement(NamedRow, RecordedBy):
    """One time the person was interviewed or testified (the statement log): the paper asks to avoid repeated
    testimony, so the page counts them."""

    row_name = "statement {pk} of party {party_id}"

    party = models.ForeignKey(ProceedingParty, on_delete=models.PROTECT, related_name="statements")
    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = ChoiceField(StatementKind, _("kind"), max_length=25)
    taken_on = models.DateField(_("day"))
    taken_by = models.CharField(_("taken by (authority)"), max_length=200)
    video_recorded = models.BooleanField(_("video recorded"), default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["taken_on", "id"]

    @property
    def is_new_interview(self) -> bool:
        return self.kind != StatementKind.RECORDED_REUSED


# --- the person's side --------------------------------------------------------------------------------------


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNDECIDED = "undecided", _("Not decided yet")


class InformedChoice(NamedRow, Recorded, EncryptedModel):
    """What the person chose, informed, on a day and in their language: a choice never changes a residence or
    assistance decision (no residence decider reads it)."""

    row_name = "choices {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="informed_choices")
    chosen_on = models.DateField(_("day"))
    language = models.CharField(_("language the person was informed in"), max_length=10)
    legal_information_given = models.BooleanField(_("legal information given"))
    lawyer_assigned = models.BooleanField(_("legal assistance assigned"))
    lawyer_free = models.BooleanField(_("free of charge"), null=True, blank=True)
    lawyer_name = EncryptedCharField(_("lawyer"), max_length=200, blank=True, tier=2)
    cooperates = ChoiceField(Answer, _("chooses to cooperate"), max_length=10)
    claims_compensation = ChoiceField(Answer, _("chooses to claim compensation"), max_length=10)
    testifies = ChoiceField(Answer, _("chooses to testify"), max_length=10)
    notes = EncryptedTextField(_("what the person said"), blank=True, tier=4)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["chosen_on", "id"]
        indexes = [models.Index(fields=["case", "chosen_on"], name="justice_choice_case")]


class CompensationRoute(models.TextChoices):
    OFFENDER_CRIMINAL = "offender_criminal", _("From the offender, in the criminal proceedings")
    OFFENDER_CIVIL = "offender_civil", _("From the offender, in a civil claim")
    STATE_FUND = "state_fund", _("State compensation fund")
    BACK_WAGES = "back_wages", _("Back wages, through labour proceedings")


class CompensationClaim(NamedRow, Recorded, Versioned):
    row_name = "compensation claim {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="compensation_claims")
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = ChoiceField(CompensationRoute, _("route"), max_length=20)
    currency = models.CharField(_("currency"), max_length=3)
    claimed_amount = models.DecimalField(_("claimed"), max_digits=12, decimal_places=2)
    claimed_on = models.DateField(_("claimed on"))
    awarded_amount = models.DecimalField(_("awarded"), max_digits=12, decimal_places=2, null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("paid"), max_digits=12, decimal_places=2, default=0)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["claimed_on", "id"]
        indexes = [models.Index(fields=["case", "claimed_on"], name="justice_claim_case")]
        constraints = [
            models.CheckConstraint(condition=models.Q(claimed_amount__gte=0), name="justice_claim_positive"),
            models.CheckConstraint(condition=models.Q(paid_amount__gte=0), name="justice_paid_positive"),
        ]

    @property
    def unpaid(self) -> object:
        """What was awarded and not yet paid (None before an award)."""
        if self.awarded_amount is None:
            return None
        return max(self.awarded_amount - self.paid_amount, 0)


class CompensationPayment(NamedRow, RecordedBy):
    row_name = "payment {pk} of claim {claim_id}"

    claim = models.ForeignKey(CompensationClaim, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="justice_payment_positive")
        ]


# --- non-punishment -----------------------------------------------------------------------------------------


class OffenceKind(models.TextChoices):
    IRREGULAR_ENTRY = "irregular_entry", _("Irregular entry or stay")
    FALSE_DOCUMENTS = "false_documents", _("Use of false documents")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminality (theft, begging, fraud...)")
    PROSTITUTION = "prostitution", _("Prostitution-related offence")
    DRUG_CULTIVATION = "drug_cultivation", _("Drug cultivation or trafficking")
    ILLEGAL_WORK = "illegal_work", _("Illegal work")
    OTHER = "other", _("Other offence")


class OffenceStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CHARGED = "charged", _("Charged")
    CONVICTED = "convicted", _("Convicted")


class Offence(NamedRow, Recorded, Versioned, EncryptedModel):
    """An offence the person is suspected, accused or convicted of, and how it is linked to their being
    trafficked: the person's legal status (T2)."""

    row_name = "offence {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="offences")
    kind = ChoiceField(OffenceKind, _("offence"), max_length=20)
    status = ChoiceField(OffenceStatus, _("status"), max_length=10)
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    details = EncryptedTextField(_("the offence"), blank=True, tier=2)
    link = EncryptedTextField(_("how it is linked to being trafficked"), tier=2)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="justice_offence_case")]


class RequestOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting the prosecutor")
    NOT_PROSECUTED = "not_prosecuted", _("Not prosecuted")
    DROPPED = "dropped", _("Prosecution dropped")
    NOT_PUNISHED = "not_punished", _("Prosecuted, not punished")
    REFUSED = "refused", _("Refused: prosecution goes on")


class NonPunishmentRequest(NamedRow, Recorded, Versioned):
    """A request to the prosecutor not to prosecute or punish the person for an offence, with the letter the
    system writes in the prosecutor's language, and the outcome."""

    row_name = "non-punishment request {pk}"

    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="requests")
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prosecutor = models.CharField(_("prosecutor's office"), max_length=200)
    language = models.CharField(_("language of the letter"), max_length=10)
    requested_on = models.DateField(_("requested on"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    outcome = ChoiceField(RequestOutcome, _("outcome"), max_length=15, default=RequestOutcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["requested_on", "id"]


class Detention(NamedRow, RecordedBy, Versioned):
    """Immigration detention of the person: recorded and flagged on the case while it lasts (a presumed victim
    should not be detained)."""

    row_name = "detention {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="detentions")
    authority = models.CharField(_("detaining authority"), max_length=200)
    starts_on = models.DateField(_("detained from"))
    ends_on = models.DateField(_("released on"), null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["case", "ends_on"], name="justice_detention_case")]
