"""Recorded releases and the privacy-loss ledger (docs/decisions/0040). T0 only: a release stores its
parameters, the published (already protected) cells and a fingerprint of the exact counts, never a row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.accounts.records import ForAgency
from palermo.core.constraints import ChoiceField
from palermo.core.records import NamedRow


class Mechanism(models.TextChoices):
    NONE = "none", _("Exact counts with cell suppression")
    LAPLACE = "laplace", _("Differential privacy: Laplace noise")
    GAUSSIAN = "gaussian", _("Differential privacy: Gaussian noise")


class Release(NamedRow, ForAgency):
    row_name = "release {pk}"

    title = models.CharField(_("title"), max_length=200)
    snapshot = models.DateField(_("data as of the end of"))
    mechanism = ChoiceField(Mechanism, _("method"), max_length=10, default=Mechanism.NONE)
    epsilon = models.FloatField(_("privacy loss (epsilon) spent"), null=True, blank=True)
    delta = models.FloatField(_("delta"), null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(_("smallest published cell"))
    parameters = models.JSONField(_("parameters"))
    cells = models.JSONField(_("published cells"))
    digest = models.CharField(_("fingerprint of the exact counts"), max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("statistics release")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mechanism="none", epsilon__isnull=True)
                | (~models.Q(mechanism="none") & models.Q(epsilon__gt=0)),
                name="release_epsilon_with_noise",
            )
        ]


class PrivacySpend(NamedRow):
    """The ledger: what one release spent against the budget of one data year it covers."""

    row_name = "{year}: {epsilon}"

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="spends")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    epsilon = models.FloatField(_("epsilon"))

    class Meta:
        ordering = ["year", "release"]
        constraints = [models.UniqueConstraint(fields=["release", "year"], name="privacy_spend_once")]


class LedgerYear(models.Model):
    """One row per data year, locked while a release is checked against that year's budget, so that two
    releases published at once cannot both fit a budget only one of them fits."""

    year = models.PositiveSmallIntegerField(unique=True)

    def __str__(self) -> str:
        return str(self.year)
