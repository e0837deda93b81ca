"""Retention and the person's rights: legal holds, what the retention run did, and its daily bookings.

None of these rows holds personal data: a hold's reason is typed by a person and so is sealed (T2); an
anonymisation keeps counts only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.core.constraints import ChoiceField
from palermo.core.fields import EncryptedModel, EncryptedTextField
from palermo.core.models_meta import one_open
from palermo.core.records import NamedRow


class LegalHold(NamedRow, EncryptedModel):
    """A case that must not be anonymised while the hold stands (proceedings, a complaint, an inquiry)."""

    row_name = "legal hold {pk} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds")
    reason = EncryptedTextField(_("why the data must be kept"), max_length=500, tier=2)
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            one_open("case", closed_by="lifted_at", name="one_standing_hold_per_case"),
        ]


class Anonymisation(NamedRow):
    """A case whose personal data was destroyed, when, why, and how much (counts only)."""

    row_name = "anonymisation of case {case_id}"

    class Why(models.TextChoices):
        RETENTION = "retention", _("Retention period ended")
        ERASURE = "erasure", _("Erased at the person's request")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="anonymisation")
    why = ChoiceField(Why, max_length=12)
    done_at = models.DateTimeField(auto_now_add=True)
    values_destroyed = models.PositiveIntegerField(default=0)
    documents_deleted = models.PositiveIntegerField(default=0)


class RetentionRun(NamedRow):
    """A daily retention run booked with the task worker (one row per day, like the deadline reminder's
    bookings) and, once it ran, its report: counts, never names."""

    row_name = "retention run of {day}"

    day = models.DateField(unique=True)
    run_after = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)
    booked_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["day"]
