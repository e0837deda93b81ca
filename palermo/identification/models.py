"""Identification data: indicator instruments (reference data), screenings, legal elements, decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, User
from palermo.cases.models import Case
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
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


class Instrument(models.Model):
    """A versioned list of indicators with its source. Never edited once loaded: a change is a new version,
    because every screening records the instrument and version it used."""

    name = models.CharField(_("name"), max_length=100)
    version = models.CharField(_("version"), max_length=100)
    source = models.TextField(_("source"))
    exploitation_type = models.CharField(
        _("form of exploitation"), max_length=20, choices=ExploitationType.choices
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["name", "-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="instrument_name_version_unique"),
        ]
        verbose_name = _("indicator instrument")

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Dimension(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    key = models.CharField(_("dimension"), max_length=60)
    group = models.CharField(_("group"), max_length=20, choices=GroupChoice.choices)
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
    adult_weight = models.CharField(_("weight for adults"), max_length=10, choices=WeightChoice.choices)
    # Null, not empty: "not on the child list" is a fact about the indicator, not a missing value.
    child_weight = models.CharField(  # noqa: DJ001
        _("weight for children"), max_length=10, choices=WeightChoice.choices, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["dimension", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "text"], name="indicator_text_unique"),
            models.CheckConstraint(
                condition=models.Q(adult_weight__in=WeightChoice.values), name="indicator_adult_weight_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(child_weight__isnull=True)
                | models.Q(child_weight__in=WeightChoice.values),
                name="indicator_child_weight_valid",
            ),
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


class Screening(EncryptedModel):
    """One screening of a case with one instrument version, under the adult or the child rule.

    Answers are saved as the responder goes (draft); completing it stores the evaluation (advice and each
    dimension's verdict) beside the answers, which are then frozen, so it can be explained later exactly as
    it was. The advice is T4 like the answers it comes from, and encrypted.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screenings")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="screenings")
    child = models.BooleanField(_("child rule and weights"))
    status = models.CharField(
        _("status"), max_length=10, choices=ScreeningStatus.choices, default=ScreeningStatus.DRAFT
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="screenings")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="screenings_started")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="screenings_completed"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    advice = EncryptedCharField(_("advice"), max_length=30, choices=Advice.choices, blank=True, tier=4)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "created_at"], name="screening_case_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ScreeningStatus.values), name="screening_status"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ScreeningStatus.DRAFT, completed_at__isnull=True)
                | models.Q(status=ScreeningStatus.COMPLETE, completed_at__isnull=False),
                name="screening_completed_when_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.pk} of case {self.case_id}"

    @property
    def is_complete(self) -> bool:
        return self.status == ScreeningStatus.COMPLETE


class ScreeningAnswer(EncryptedModel):
    """One indicator's answer, with a note and where the information came from: all T4, encrypted."""

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

    def __str__(self) -> str:
        return f"answer {self.pk} of screening {self.screening_id}"


class ScreeningDimensionResult(EncryptedModel):
    """A completed screening's verdict on one dimension, as the rule gave it then (T4, encrypted)."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="dimension_results")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    verdict = EncryptedCharField(_("verdict"), max_length=30, choices=VerdictChoice.choices, tier=4)

    class Meta:
        ordering = ["dimension__position"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "dimension"], name="screening_dimension_once"),
        ]

    def __str__(self) -> str:
        return f"dimension result {self.pk} of screening {self.screening_id}"
