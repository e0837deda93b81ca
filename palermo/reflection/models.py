"""The reflection and recovery period (brief §3.2), the entitlements it opens, and the systems that may ask
whether a person may be removed.

A case has at most one period. Its dates, length and the statuses of its entitlements are case metadata (T1):
the deadline screens and the non-removal look-up work from them. Why a period was extended or ended early is
the migration authority's legal reasoning (T2, encrypted): the authority that grants periods writes it and
reads it with the person's identity. What was noted about an entitlement (health, what the person said) is
narrative (T4) and encrypted.

Every date is a calendar day in the deployment's time zone; a period protects the person from its first day
to its last day inclusive.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, User
from palermo.accounts.records import ForAgency
from palermo.cases.models import Case
from palermo.core.constraints import ChoiceField
from palermo.core.fields import EncryptedModel, EncryptedTextField
from palermo.core.records import NamedRow, Versioned
from palermo.core.rulebooks import rulebook_title
from palermo.identification.models import IdentificationDecision


class OpenedBy(models.TextChoices):
    DECISION = "decision", _("Positive presumed victim decision")
    REQUEST = "request", _("Request before a decision")


class ReflectionPeriod(NamedRow, ForAgency, Versioned, EncryptedModel):
    row_name = "reflection period of case {case_id}"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="reflection_period")
    opened_by = ChoiceField(OpenedBy, _("opened by"), max_length=10)
    # The positive presumed victim decision that opened the period (or that followed a period on request).
    decision = models.ForeignKey(
        IdentificationDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("starts"))
    # The last protected day: moved by extensions and by an early end.
    ends_on = models.DateField(_("ends"), db_index=True)
    # The length granted at opening and the rulebook it came from (the law of that day, kept with the record).
    length_days = models.PositiveSmallIntegerField(_("length in days"))
    minimum_days = models.PositiveSmallIntegerField(_("minimum in days"))
    rulebook = models.CharField(max_length=60)
    ended_early_on = models.DateField(_("ended early on"), null=True, blank=True)
    early_end_reason = EncryptedTextField(_("why the period ended early"), blank=True, tier=2)
    ended_early_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Empty for a period the system opened on a decision.
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(_("opened"))

    class Meta:
        verbose_name = _("reflection and recovery period")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
        ]

    @property
    def ended_early(self) -> bool:
        return self.ended_early_on is not None

    @property
    def rulebook_title(self) -> str:
        """The law the length came from, by its title ("OSCE Alliance position paper: ..."), not its key."""
        return rulebook_title(self.rulebook)


class ReflectionExtension(NamedRow, ForAgency, EncryptedModel):
    row_name = "extension {pk} of period {period_id}"

    period = models.ForeignKey(ReflectionPeriod, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("days added"))
    previous_end = models.DateField(_("previous end"))
    new_end = models.DateField(_("new end"))
    reason = EncryptedTextField(_("reason"), tier=2)
    extended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    extended_at = models.DateTimeField(_("extended"))

    class Meta:
        ordering = ["extended_at", "id"]
        indexes = [models.Index(fields=["period", "extended_at"], name="reflection_extension_period")]


class EntitlementKind(models.TextChoices):
    """What the period opens (Taking a Stand, Assistance; brief §3.2). Each key's due date is the rulebook's
    `entitlements.<key>_days` from the period's first day."""

    SAFE_ACCOMMODATION = "safe_accommodation", _("Safe accommodation")
    LEGAL_INFORMATION = "legal_information", _("Legal information in a language the person understands")
    LEGAL_ASSISTANCE = "legal_assistance", _("Legal assistance")
    MEDICAL_CARE = "medical_care", _("Medical care")
    PSYCHOSOCIAL_CARE = "psychosocial_care", _("Psycho-social care")
    MATERIAL_ASSISTANCE = "material_assistance", _("Material assistance")
    INTERPRETATION = "interpretation", _("Interpretation")


class EntitlementStatus(models.TextChoices):
    DUE = "due", _("Due")
    PROVIDED = "provided", _("Provided")
    DECLINED = "declined", _("Declined by the person")
    NOT_NEEDED = "not_needed", _("Not needed")


class Entitlement(NamedRow, Versioned, EncryptedModel):
    row_name = "{kind} of period {period_id}"

    period = models.ForeignKey(ReflectionPeriod, on_delete=models.PROTECT, related_name="entitlements")
    kind = ChoiceField(EntitlementKind, _("entitlement"), max_length=30)
    due_on = models.DateField(_("due"))
    status = ChoiceField(EntitlementStatus, _("status"), max_length=12, default=EntitlementStatus.DUE)
    # The day it was provided, declined or found not needed; empty while due.
    status_on = models.DateField(_("on"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True, tier=4)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="entitlement_one_per_kind"),
        ]


class LookupClient(models.Model):
    """Another system (a border police register, an immigration case system) allowed to ask the non-removal
    question. Only a SHA-256 hash of its token is kept: the token is shown once, when the client is added."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="lookup_clients")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("look-up client system")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
