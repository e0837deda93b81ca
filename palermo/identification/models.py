"""Identification data: indicator instruments (reference data), screenings, legal elements, decisions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, User
from palermo.accounts.records import ForAgency, Recorded
from palermo.cases.models import Case, Phase
from palermo.core.constraints import ChoiceField
from palermo.core.decisions import ChildViewsRecord
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField, optional_key
from palermo.core.models_meta import one_open
from palermo.core.records import NamedRow, Versioned
from palermo.identification.fields import EncryptedChoiceListField
from palermo.identification.rules import DIMENSION_GROUPS, Answer, Group, Verdict, Weight


class ExploitationType(models.TextChoices):
    LABOUR = "labour", _("Labour exploitation")
    SEXUAL = "sexual", _("Sexual exploitation")
    GENERAL = "general", _("All forms of exploitation")


class WeightChoice(models.TextChoices):
    STRONG = Weight.STRONG.value, _("Strong")
    MEDIUM = Weight.MEDIUM.value, _("Medium")
    WEAK = Weight.WEAK.value, _("Weak")


class GroupChoice(models.TextChoices):
    RECRUITMENT = Group.RECRUITMENT.value, _("Recruitment")
    EXPLOITATION = Group.EXPLOITATION.value, _("Exploitation")
    DESTINATION = Group.DESTINATION.value, _("Coercion or abuse of vulnerability at destination")


DIMENSION_LABELS = {
    "deceptive_recruitment": _("Deceptive recruitment"),
    "coercive_recruitment": _("Coercive recruitment"),
    "recruitment_abuse_of_vulnerability": _("Recruitment by abuse of vulnerability"),
    "exploitation": _("Exploitative conditions of work"),
    "coercion_at_destination": _("Coercion at destination"),
    "abuse_of_vulnerability_at_destination": _("Abuse of vulnerability at destination"),
}


# The shipped instruments' names as people say them (palermo/identification/data/instruments.toml).
INSTRUMENT_TITLES = {
    "ilo-2009-labour": _("ILO and European Commission operational indicators, labour exploitation (2009)"),
}


class Instrument(NamedRow):
    """A versioned list of indicators with its source. Never edited once loaded: a change is a new version,
    because every screening records the instrument and version it used."""

    row_name = "{name} ({version})"

    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=100)
    source = models.TextField(_("source"))
    exploitation_type = ChoiceField(ExploitationType, _("form of exploitation"), max_length=20)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="instrument_name_version_unique"),
        ]
        verbose_name = _("indicator instrument")

    @property
    def title(self) -> str:
        """The instrument's name as people say it; a list not known by name, by its form of exploitation."""
        known = INSTRUMENT_TITLES.get(self.name)
        if known:
            return str(known)
        return str(_("Indicators of %(form)s (%(name)s)")) % {
            "form": str(self.get_exploitation_type_display()).lower(),
            "name": self.name,
        }


class Dimension(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    key = models.CharField(_("dimension"), max_length=60)
    group = ChoiceField(GroupChoice, _("group"), max_length=20)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="dimension_key_unique"),
            models.CheckConstraint(
                condition=models.Q(key__in=list(DIMENSION_GROUPS)), name="dimension_known"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS.get(self.key, self.key))


class Indicator(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indicator"), max_length=300)
    adult_weight = ChoiceField(WeightChoice, _("weight for adults"), max_length=10)
    # Null, not empty: "not on the child list" is a fact about the indicator, not a missing value.
    child_weight = ChoiceField(WeightChoice, _("weight for children"), max_length=10, null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["dimension", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "text"], name="indicator_text_unique"),
        ]

    def __str__(self) -> str:
        return self.text


# ---------------------------------------------------------------------------------------------------------
# Screenings: a case's answers to an instrument, and the evaluation kept as it was when completed
# ---------------------------------------------------------------------------------------------------------


class AnswerChoice(models.TextChoices):
    YES = Answer.YES.value, _("Yes")
    NO = Answer.NO.value, _("No")
    UNKNOWN = Answer.UNKNOWN.value, _("Unknown")


class InformationSource(models.TextChoices):
    PERSON = "person", _("The person's own account")
    OBSERVATION = "observation", _("Observed by the responder")
    DOCUMENTS = "documents", _("Documents or records")
    THIRD_PARTY = "third_party", _("Another person or agency")
    OTHER = "other", _("Other")


class ScreeningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETE = "complete", _("Complete")


class VerdictChoice(models.TextChoices):
    POSITIVE = Verdict.POSITIVE.value, _("Positive")
    NEGATIVE = Verdict.NEGATIVE.value, _("Negative")
    INSUFFICIENT = Verdict.INSUFFICIENT.value, _("Insufficient information")


class Advice(models.TextChoices):
    VICTIM = "victim", _("The indicators point to trafficking")
    NOT_VICTIM = "not_victim", _("The indicators do not point to trafficking")
    INSUFFICIENT = "insufficient_information", _("Not enough information to say")


class Screening(NamedRow, Versioned, EncryptedModel):
    """One screening of a case with one instrument version, under the adult or the child rule.

    Answers are saved as the responder goes (draft); completing it stores the evaluation (advice and each
    dimension's verdict) beside the answers, which are then frozen, so it can be explained later exactly as
    it was. The advice is T4 like the answers it comes from, and encrypted.
    """

    row_name = "screening {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screenings")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="screenings")
    child = models.BooleanField(_("child rule and weights"))
    status = ChoiceField(ScreeningStatus, _("status"), max_length=10, default=ScreeningStatus.DRAFT)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="screenings")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="screenings_started")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="screenings_completed"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    advice = EncryptedCharField(_("advice"), max_length=30, choices=Advice.choices, blank=True, tier=4)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "created_at"], name="screening_case_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ScreeningStatus.DRAFT, completed_at__isnull=True)
                | models.Q(status=ScreeningStatus.COMPLETE, completed_at__isnull=False),
                name="screening_completed_when_complete",
            ),
        ]

    @property
    def is_complete(self) -> bool:
        return self.status == ScreeningStatus.COMPLETE


class ScreeningAnswer(NamedRow, EncryptedModel):
    """One indicator's answer, with a note and where the information came from: all T4, encrypted."""

    row_name = "answer {pk} of screening {screening_id}"

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = EncryptedCharField(_("answer"), max_length=10, choices=AnswerChoice.choices, tier=4)
    note = EncryptedTextField(_("note"), blank=True, tier=4)
    source = EncryptedCharField(
        _("source of the information"), max_length=20, choices=InformationSource.choices, blank=True, tier=4
    )
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator__dimension__position", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "indicator"], name="screening_answer_once"),
        ]


class ScreeningDimensionResult(NamedRow, EncryptedModel):
    """A completed screening's verdict on one dimension, as the rule gave it then (T4, encrypted)."""

    row_name = "dimension result {pk} of screening {screening_id}"

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="dimension_results")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    verdict = EncryptedCharField(_("verdict"), max_length=30, choices=VerdictChoice.choices, tier=4)

    class Meta:
        ordering = ["dimension__position"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "dimension"], name="screening_dimension_once"),
        ]


# ---------------------------------------------------------------------------------------------------------
# Legal elements (Palermo Protocol art. 3), differentiation from other situations, age assessment
# ---------------------------------------------------------------------------------------------------------


class Act(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSPORT = "transport", _("Transport")
    TRANSFER = "transfer", _("Transfer")
    HARBOURING = "harbouring", _("Harbouring")
    RECEIPT = "receipt", _("Receipt of persons")


class Means(models.TextChoices):
    THREAT = "threat", _("Threat")
    FORCE = "force", _("Use of force")
    COERCION = "coercion", _("Other forms of coercion")
    ABDUCTION = "abduction", _("Abduction")
    FRAUD = "fraud", _("Fraud")
    DECEPTION = "deception", _("Deception")
    ABUSE_OF_POWER = "abuse_of_power", _("Abuse of power")
    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of a position of vulnerability")
    PAYMENTS = "payments", _("Payments or benefits to a person in control of the victim")


class Purpose(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour or services")
    SLAVERY = "slavery", _("Slavery or practices similar to slavery")
    SERVITUDE = "servitude", _("Servitude")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    FORCED_CRIMINALITY = "forced_criminality", _("Forced criminal activities")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    SURROGACY = "surrogacy", _("Exploitation of surrogacy")


class LegalElements(NamedRow, Versioned, EncryptedModel):
    """The act, means and purpose checklists of one case, with a note; one per case, edited with a version.
    What happened to the person is narrative (T4): the checklists and the note are encrypted."""

    row_name = "legal elements of case {case_id}"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="legal_elements")
    acts = EncryptedChoiceListField(_("act"), tier=4)
    means = EncryptedChoiceListField(_("means"), tier=4)
    purposes = EncryptedChoiceListField(_("purpose"), tier=4)
    note = EncryptedTextField(_("note"), blank=True, tier=4)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class Situation(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking in human beings")
    SMUGGLING = (
        "smuggling",
        _("Smuggling of migrants (a consensual crossing; the relation ends at the border)"),
    )
    IRREGULAR_MIGRATION = "irregular_migration", _("Irregular migration")
    OTHER_EXPLOITATION = "other_exploitation", _("Other exploitation, not trafficking")


class Differentiation(NamedRow, Recorded, EncryptedModel):
    """Which situation the case is, with the reasons. A new assessment is a new row: the history stays.
    The conclusion is case metadata (T1, counted in statistics); the reasons are narrative (T4)."""

    row_name = "differentiation {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="differentiations")
    situation = ChoiceField(Situation, _("situation"), max_length=30)
    reasons = EncryptedTextField(_("reasons"), tier=4)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "recorded_at"], name="differentiation_case")]


class AgeMethod(models.TextChoices):
    DOCUMENTS = "documents", _("Documentary evidence")
    HOLISTIC = "holistic", _("Multidisciplinary (holistic) assessment")
    INTERVIEW = "interview", _("Psycho-social interview")
    MEDICAL = "medical", _("Medical examination")
    OTHER = "other", _("Other")


class AgeConclusion(models.TextChoices):
    CHILD = "child", _("Under 18: a child")
    ADULT = "adult", _("18 or over: an adult")
    INCONCLUSIVE = "inconclusive", _("Inconclusive: the doubt remains")


class AgeAssessment(NamedRow, Recorded, EncryptedModel):
    """An age assessment: its method, conclusion, date and assessor. The findings are T4 (they may be
    medical); method and conclusion are case metadata. A new assessment is a new row."""

    row_name = "age assessment {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="age_assessments")
    method = ChoiceField(AgeMethod, _("method"), max_length=20)
    conclusion = ChoiceField(AgeConclusion, _("conclusion"), max_length=20)
    assessed_on = models.DateField(_("date of the assessment"))
    assessor = models.CharField(_("assessor"), max_length=200, help_text=_("The professional or body."))
    findings = EncryptedTextField(_("findings"), blank=True, tier=4)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["case", "assessed_on"], name="age_assessment_case")]


# ---------------------------------------------------------------------------------------------------------
# Decisions: presumed victim (reasonable grounds) and identified victim (conclusive grounds)
# ---------------------------------------------------------------------------------------------------------


class DecisionKind(models.TextChoices):
    PRESUMED = "presumed", _("Presumed victim (reasonable grounds)")
    IDENTIFIED = "identified", _("Identified victim (conclusive grounds)")


class DecisionOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class DecisionProcedure(models.TextChoices):
    FIRST = "first", _("First decision")
    RECONSIDERATION = "reconsideration", _("Reconsideration")
    APPEAL = "appeal", _("Appeal")


class Ground(models.TextChoices):
    """What a decision rests on. Cooperation with the authorities is deliberately not a ground: no decision
    is conditional on it (see palermo.identification.cooperation)."""

    INDICATORS = "indicators", _("Indicators of trafficking (screening)")
    ACCOUNT = "account", _("The person's account")
    ACT = "act", _("The act element")
    MEANS = "means", _("The means element")
    PURPOSE = "purpose", _("The purpose of exploitation")
    CHILD = "child", _("The person is a child: the means element is not required")
    EVIDENCE = "evidence", _("Documents or other evidence")
    AGENCY_INFORMATION = "agency_information", _("Information from another agency or service")
    ELEMENTS_NOT_MET = "elements_not_met", _("The legal elements are not met")
    OTHER_SITUATION = (
        "other_situation",
        _("Another situation: smuggling, irregular migration, other exploitation"),
    )
    NEW_INFORMATION = "new_information", _("New information (reconsideration or appeal)")


class IdentificationDecision(NamedRow, ForAgency, EncryptedModel, ChildViewsRecord):
    """A decision of the identification authority. Outcome, kind, dates and deadline are case metadata
    (T1); grounds, reasons and the child's views (on a child's case) are T4 and encrypted.
    A reconsideration or appeal is a new decision linked to the one it reviews; the case's current
    decision of a kind is the latest one taken."""

    row_name = "decision {pk} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="identification_decisions")
    kind = ChoiceField(DecisionKind, _("decision"), max_length=12)
    procedure = ChoiceField(DecisionProcedure, _("procedure"), max_length=20, default=DecisionProcedure.FIRST)
    reviews = optional_key("self", _("decision reviewed"), related_name="reviewed_by")
    outcome = ChoiceField(DecisionOutcome, _("outcome"), max_length=10)
    grounds = EncryptedChoiceListField(_("grounds"), tier=4)
    reasons = EncryptedTextField(_("reasons"), tier=4)
    screening = optional_key(Screening, _("screening"))
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("decision maker")
    )
    decided_at = models.DateTimeField(_("decided"), db_index=True)
    # The deadline the decision had under the rulebook active when it was taken; a review's is counted from
    # the request for it (ReviewRequest).
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_day_kind = models.CharField(max_length=10, blank=True)
    rulebook = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["case", "kind", "decided_at"], name="decision_case_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(procedure="first"),
                name="decision_one_first_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(procedure="first", reviews__isnull=True)
                | (~models.Q(procedure="first") & models.Q(reviews__isnull=False)),
                name="decision_review_links_original",
            ),
        ]

    @property
    def positive(self) -> bool:
        return self.outcome == DecisionOutcome.POSITIVE

    @property
    def ground_labels(self) -> list[str]:
        return [str(Ground(code).label) for code in self.grounds if code in Ground.values]

    @property
    def late(self) -> bool:
        return self.due_at is not None and self.decided_at > self.due_at


class ReviewRequest(NamedRow, Recorded):
    """A request for the reconsideration or appeal of a decision. The review decision is due under the
    rulebook active when the request was made (decisions.review_days, counted from the request); the request
    is answered by the review decision. Dates and kinds only (T1): the reasons belong to the decision."""

    row_name = "review request {pk} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="identification_review_requests")
    decision = models.ForeignKey(
        IdentificationDecision,
        on_delete=models.PROTECT,
        related_name="review_requests",
        verbose_name=_("decision to review"),
    )
    procedure = ChoiceField(DecisionProcedure, _("procedure"), max_length=20)
    requested_at = models.DateTimeField(_("requested"))
    due_at = models.DateTimeField(_("due"))
    deadline_days = models.PositiveSmallIntegerField()
    deadline_day_kind = models.CharField(max_length=10)
    rulebook = models.CharField(max_length=60)
    review = models.OneToOneField(
        IdentificationDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("review decision"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["case", "requested_at"], name="review_request_case")]
        constraints = [
            # One open request per decision: a second one would be answered by the same review.
            one_open("decision", closed_by="review", name="review_request_one_open"),
            models.CheckConstraint(condition=~models.Q(procedure="first"), name="review_request_is_review"),
        ]

    @property
    def is_open(self) -> bool:
        return self.review_id is None

    @property
    def paused(self) -> bool:
        """Open on a closed case: nothing is overdue until the case is re-opened. Reads the request's case, so
        fetch requests with it (`review_requests_of` does, without a query)."""
        return self.is_open and self.case.phase == Phase.CLOSED

    @property
    def overdue(self) -> bool:
        return self.is_open and not self.paused and self.due_at < timezone.now()
