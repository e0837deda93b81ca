"""Identification data: indicator instruments (reference data), screenings, legal elements, decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.identification.rules import DIMENSION_GROUPS, Group, Weight


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
