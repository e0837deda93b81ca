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

from palermo.accounts.models import Agency, User
from palermo.cases.models import Case
from palermo.core.constraints import one_of
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField


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


class RiskAssessment(EncryptedModel):
    """One individual risk assessment, owned by the protection officer. Complete when `completed_on` is set;
    due for review on `review_on` (the rulebook's `justice.risk_review_days` after it was completed)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    trigger = models.CharField(_("why assessed now"), max_length=20, choices=RiskTrigger.choices)
    overall_level = models.CharField(_("overall risk"), max_length=6, choices=RiskLevel.choices)
    assessed_on = models.DateField(_("assessed"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    review_on = models.DateField(_("review due"), null=True, blank=True, db_index=True)
    rulebook = models.CharField(max_length=60)
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("risk assessment")
        indexes = [models.Index(fields=["case", "completed_on"], name="justice_risk_case")]
        constraints = [
            one_of("overall_level", RiskLevel, "justice_risk_level"),
            one_of("trigger", RiskTrigger, "justice_risk_trigger"),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(review_on__gte=models.F("completed_on")),
                name="justice_risk_review_after",
            ),
        ]

    def __str__(self) -> str:
        return f"risk assessment {self.pk} of case {self.case_id}"

    @property
    def completed(self) -> bool:
        return self.completed_on is not None


class RiskRating(EncryptedModel):
    """One factor of an assessment: its level (T1) and the reasons and sources behind it, which say where the
    threat and the person's relatives are (T3)."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="ratings")
    factor = models.CharField(_("risk"), max_length=25, choices=RiskFactor.choices)
    level = models.CharField(_("level"), max_length=6, choices=RiskLevel.choices)
    reasons = EncryptedTextField(_("reasons"), blank=True, tier=3)
    sources = EncryptedTextField(_("sources"), blank=True, tier=3)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            one_of("factor", RiskFactor, "justice_rating_factor"),
            one_of("level", RiskLevel, "justice_rating_level"),
            models.UniqueConstraint(fields=["assessment", "factor"], name="justice_rating_once"),
        ]

    def __str__(self) -> str:
        return f"{self.factor} rating of assessment {self.assessment_id}"


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


class ProtectionMeasure(EncryptedModel):
    """One measure of the protection plan: who carries it out, from and to when; where it is carried out
    (a secret address) is location (T3)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="protection_measures")
    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    kind = models.CharField(_("measure"), max_length=25, choices=MeasureKind.choices)
    carried_out_by = models.CharField(_("carried out by"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    where = EncryptedCharField(_("where (secret address)"), max_length=300, blank=True, tier=3)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("protection measure")
        indexes = [models.Index(fields=["case", "status"], name="justice_measure_case")]
        constraints = [
            one_of("kind", MeasureKind, "justice_measure_kind"),
            one_of("status", MeasureStatus, "justice_measure_status"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="justice_measure_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} measure {self.pk} of case {self.case_id}"
