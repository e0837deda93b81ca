"""An anonymous notification: a possible victim was met and declined to be referred (issue 14, item 4).

Nothing identifies the person: no name, no birth date, no contact, no free-text story. Only the facts the
statistics need, each from a closed list or a code: gender, age band, nationality, form of exploitation, where
(country and ISO 3166-2 region) and when (month) the exploitation happened, when the person was met (month),
and whether the rights information was given (which leaflet, in which language). All of it is case metadata
(T1), so nothing is encrypted. If the person agrees later, the notification becomes a referral: a case opened
through the intake, linked here (`case`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, User
from palermo.cases.models import AgeGroup, Case
from palermo.cases.reference import Gender
from palermo.core.constraints import ChoiceField
from palermo.core.records import NamedRow, Versioned


class NotificationStatus(models.TextChoices):
    DECLINED = "declined", _("Declined to be referred")
    REFERRED = "referred", _("Referred later, with the person's agreement")


class AnonymousNotification(NamedRow, Versioned):
    row_name = "anonymous notification {pk}"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="anonymous_notifications")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    met_in = models.DateField(_("month the person was met"))
    gender = ChoiceField(Gender, _("gender"), max_length=30, default=Gender.UNKNOWN)
    age_group = ChoiceField(AgeGroup, _("age band"), max_length=8, default=AgeGroup.UNKNOWN)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    exploitation_form = models.CharField(_("form of exploitation"), max_length=40, blank=True)
    exploitation_country = models.CharField(_("country of exploitation"), max_length=3, blank=True)
    exploitation_region = models.CharField(_("region of exploitation"), max_length=10, blank=True)
    exploitation_month = models.DateField(_("month of exploitation"), null=True, blank=True)
    rights_information_given = models.BooleanField(_("rights information given"))
    leaflet = models.CharField(_("leaflet"), max_length=100, blank=True)
    leaflet_language = models.CharField(_("language of the leaflet"), max_length=3, blank=True)
    status = ChoiceField(
        NotificationStatus, _("status"), max_length=10, default=NotificationStatus.DECLINED, db_index=True
    )
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="anonymous_notification"
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    converted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "recorded_at"], name="anon_agency_recorded"),
            models.Index(fields=["exploitation_form", "status"], name="anon_form_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=NotificationStatus.DECLINED, case__isnull=True)
                | models.Q(status=NotificationStatus.REFERRED, case__isnull=False),
                name="anon_referred_has_case",
            ),
        ]
