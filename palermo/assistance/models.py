"""Assistance: the service directory, needs assessments, individual assistance plans, referrals to providers
and placements in safe accommodation (brief §3.2 and §3.4).

Tiers: the directory holds no personal data. On a case, which services a person is referred to and when is
case metadata (T1); what the person needs, the plan's goals, the person's own view of the plan, the specific
needs told to a provider and the service given are narrative and health (T4, encrypted); where the person is
placed is location (T3, encrypted).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, User
from palermo.accounts.records import ForAgency
from palermo.cases.models import AgeGroup, Case
from palermo.cases.reference import Gender
from palermo.core.constraints import ChoiceField
from palermo.core.fields import EncryptedModel, EncryptedTextField, tiered
from palermo.core.models_meta import one_open
from palermo.core.records import LanguageEntry, NamedRow, Versioned, language_once


class ServiceKind(models.TextChoices):
    """The services of the position paper and the brief; each maps to an HTCDS support-plan type."""

    SAFE_ACCOMMODATION = "safe_accommodation", _("Safe accommodation")
    LEGAL_INFORMATION = "legal_information", _("Legal information")
    LEGAL_ASSISTANCE = "legal_assistance", _("Legal assistance")
    MEDICAL_CARE = "medical_care", _("Medical care")
    PSYCHOSOCIAL_CARE = "psychosocial_care", _("Psycho-social care")
    MATERIAL_ASSISTANCE = "material_assistance", _("Material assistance")
    INTERPRETATION = "interpretation", _("Interpretation")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EMPLOYMENT_SUPPORT = "employment_support", _("Employment support")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    RETURN_ASSISTANCE = "return_assistance", _("Return assistance")


# Proxies (decision 0020): that a person receives medical or psycho-social care is health (T4), so the kind
# of such a service in a plan, a referral or a need reads at T4; which safe house a person is referred to or
# stays in is location (T3), so a reference to a safe accommodation service (its name, provider, region)
# reads at T3. The tiers are on the model fields below (`tiered(by_row=...)`), applied by palermo.access.
HEALTH_KINDS = frozenset({ServiceKind.MEDICAL_CARE, ServiceKind.PSYCHOSOCIAL_CARE})
LOCATION_KINDS = frozenset({ServiceKind.SAFE_ACCOMMODATION})

KIND_WITHHELD = {int(Tier.NARRATIVE): _("A service (kind withheld)")}
SERVICE_WITHHELD = {
    int(Tier.LOCATION): _("Safe accommodation (location withheld)"),
    int(Tier.NARRATIVE): _("A service (kind withheld)"),
}
PROVIDER_WITHHELD = {
    int(Tier.LOCATION): _("Provider withheld (location)"),
    int(Tier.NARRATIVE): _("Provider withheld"),
}


def kind_tier(kind: str) -> int:
    """The tier of the fact that a person needs or receives a service of this kind."""
    return int(Tier.NARRATIVE) if kind in HEALTH_KINDS else int(Tier.METADATA)


def service_tier(kind: str) -> int:
    """The tier of naming which service of this kind a person is referred to or stays in (its name, its
    provider, its regions): a safe house is location, a health service says the person's health."""
    return int(Tier.LOCATION) if kind in LOCATION_KINDS else kind_tier(kind)


def _kind_of_row(row: Any) -> int:
    return kind_tier(row.kind)


def _needed_kind(label: Any) -> ChoiceField:
    """The kind of service a person needs or is offered in a plan: case metadata, except a health kind,
    which reads at T4 and is shown withheld to a reader without it."""
    return tiered(
        ChoiceField(ServiceKind, label, max_length=30), 1, by_row=_kind_of_row, withheld=KIND_WITHHELD
    )


def _service_of_row(row: Any) -> int:
    return service_tier(row.service.kind)


# HTCDS 2.0 spl_Type (support plan type) for each service, for the exchange format.
HTCDS_SUPPORT_TYPE: dict[str, str] = {
    ServiceKind.SAFE_ACCOMMODATION: "SocialCare",
    ServiceKind.LEGAL_INFORMATION: "Legal",
    ServiceKind.LEGAL_ASSISTANCE: "Legal",
    ServiceKind.MEDICAL_CARE: "Health",
    ServiceKind.PSYCHOSOCIAL_CARE: "Health",
    ServiceKind.MATERIAL_ASSISTANCE: "Financial",
    ServiceKind.INTERPRETATION: "SocialCare",
    ServiceKind.EDUCATION: "Education",
    ServiceKind.VOCATIONAL_TRAINING: "Livelihood",
    ServiceKind.EMPLOYMENT_SUPPORT: "Livelihood",
    ServiceKind.FAMILY_TRACING: "SocialCare",
    ServiceKind.RETURN_ASSISTANCE: "SocialCare",
}


class ProviderService(Versioned):
    """One service an agency offers: what, where, in which languages, for whom, and (accommodation) how many
    places. Directory data about organisations, never about people."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider")
    )
    kind = ChoiceField(ServiceKind, _("service"), max_length=30, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # How the person reaches the service (a phone line, opening hours): never a safe house's address.
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    serves_women = models.BooleanField(_("serves women"), default=True)
    serves_men = models.BooleanField(_("serves men"), default=True)
    serves_other_genders = models.BooleanField(
        _("serves transgender and non-conforming persons"), default=True
    )
    serves_adults = models.BooleanField(_("serves adults"), default=True)
    serves_children = models.BooleanField(_("serves children"), default=False)
    # Places for safe accommodation; empty for other services.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("service")
        indexes = [
            models.Index(fields=["kind", "is_active", "name"], name="service_kind_active"),
            models.Index(fields=["agency", "kind"], name="service_agency_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="safe_accommodation") | models.Q(capacity__isnull=False),
                name="service_accommodation_has_capacity",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def free_places(self) -> int | None:
        """Places not taken, for a service read through the directory selector (which counts the stays in
        progress); None for a service without places."""
        if self.capacity is None:
            return None
        return max(self.capacity - getattr(self, "taken", 0), 0)

    @property
    def htcds_type(self) -> str:
        return HTCDS_SUPPORT_TYPE[self.kind]

    def serves_gender(self, gender: str) -> bool:
        if gender == Gender.FEMININE:
            return self.serves_women
        if gender == Gender.MASCULINE:
            return self.serves_men
        if gender == Gender.UNKNOWN:
            return True  # not known: the provider decides on acceptance
        return self.serves_other_genders


class ServiceLanguage(LanguageEntry):
    """A language (ISO 639-2) the service works in."""

    service = models.ForeignKey(ProviderService, on_delete=models.CASCADE, related_name="languages")

    class Meta(LanguageEntry.Meta):
        constraints = [language_once("service", name="service_language_unique")]
        indexes = [models.Index(fields=["language", "service"], name="service_language_lookup")]


class ServiceRegion(models.Model):
    """A region the service covers."""

    service = models.ForeignKey(ProviderService, on_delete=models.CASCADE, related_name="regions")
    region = models.CharField(_("region"), max_length=100)

    class Meta:
        ordering = ["region"]
        constraints = [models.UniqueConstraint(fields=["service", "region"], name="service_region_unique")]
        indexes = [models.Index(fields=["region", "service"], name="service_region_lookup")]

    def __str__(self) -> str:
        return self.region


class NeedsAssessment(ForAgency, EncryptedModel):
    """What the person needs, assessed with them: the services needed (T4, since they speak of health) and a
    summary in the assessor's words (T4, encrypted)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="needs_assessments")
    summary = EncryptedTextField(_("summary"), blank=True, tier=4)
    assessed_at = models.DateTimeField(_("assessed on"))
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        indexes = [models.Index(fields=["case", "assessed_at"], name="needs_case_time")]


class AssessedNeed(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="needs")
    kind = _needed_kind(_("service needed"))
    urgent = models.BooleanField(_("urgent"), default=False)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["assessment", "kind"], name="need_unique")]

    def __str__(self) -> str:
        return self.kind


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", pgettext_lazy("plan status", "Closed")


class AssistancePlan(ForAgency, Versioned, EncryptedModel):
    """The individual assistance plan (HTCDS Support Plan): goals (spl_Objectives), actions (spl_ActionPlan),
    the person's own view of it, who is responsible and when it is reviewed. One active plan per case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assistance_plans")
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    status = ChoiceField(PlanStatus, max_length=10, default=PlanStatus.ACTIVE)
    goals = EncryptedTextField(_("goals"), tier=4)
    actions = EncryptedTextField(_("actions"), blank=True, tier=4)
    person_view = EncryptedTextField(_("the person's own view of the plan"), blank=True, tier=4)
    responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )
    review_on = models.DateField(_("next review"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="active"), name="plan_one_active_per_case"
            )
        ]
        indexes = [models.Index(fields=["case", "status"], name="plan_case_status")]


class PersonChoice(models.TextChoices):
    """Services are voluntary: the person agrees to each, or refuses it, and may change their mind."""

    PENDING = "pending", _("Not yet asked")
    AGREED = "agreed", _("Agreed")
    REFUSED = "refused", pgettext_lazy("person's choice", "Refused")


class PlanService(models.Model):
    """A service in the plan, with who arranges it and the person's agreement or refusal."""

    plan = models.ForeignKey(AssistancePlan, on_delete=models.CASCADE, related_name="services")
    kind = _needed_kind(_("service"))
    responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("responsible")
    )
    choice = ChoiceField(PersonChoice, _("the person's choice"), max_length=10, default=PersonChoice.PENDING)
    choice_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="plan_service_unique")]

    def __str__(self) -> str:
        return self.kind


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", pgettext_lazy("referral status", "Declined")
    COMPLETED = "completed", _("Service given")
    CLOSED = "closed", _("Closed without the service")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Outside the service's eligibility")
    OUTSIDE_REGION = "outside_region", _("Outside the region served")
    LANGUAGE = "language", _("Cannot serve in the person's language")
    OTHER = "other", _("Other")


class Referral(NamedRow, Versioned, EncryptedModel):
    """A referral of a case to one provider's service, and the minimal package the provider receives.

    The package (age group, sex, child or adult, languages and interpreter need, specific needs) is copied
    when the referral is sent, so the provider never reads the case record itself; it is readable only while
    the referral is open (see palermo.assistance.package).
    """

    row_name = "referral {pk}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assistance_referrals")
    service = tiered(
        models.ForeignKey(ProviderService, on_delete=models.PROTECT, related_name="referrals"),
        1,
        by_row=_service_of_row,
        withheld=SERVICE_WITHHELD,
    )
    # The service's agency at the time of sending (kept even if the directory entry moves).
    provider = tiered(
        models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received"),
        1,
        by_row=_service_of_row,
        withheld=PROVIDER_WITHHELD,
    )
    plan_service = models.ForeignKey(
        PlanService, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    status = ChoiceField(ReferralStatus, _("status"), max_length=12, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_sent")
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decline_reason = ChoiceField(DeclineReason, _("reason for declining"), max_length=20, blank=True)
    response_note = EncryptedTextField(_("note"), blank=True, tier=4)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    service_given = EncryptedTextField(_("service given"), blank=True, tier=4)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    # The package: what this service needs to know, nothing more.
    age_group = ChoiceField(AgeGroup, _("age group"), max_length=8)
    gender = ChoiceField(Gender, _("sex / gender"), max_length=30)
    is_child = models.BooleanField(_("child"), default=False)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    specific_needs = EncryptedTextField(_("specific needs"), blank=True, tier=4)

    # The person's feedback on the service (quality monitoring): a rating, and their words (T4).
    feedback_rating = models.PositiveSmallIntegerField(_("the person's rating (1-5)"), null=True, blank=True)
    feedback_note = EncryptedTextField(_("the person's feedback"), blank=True, tier=4)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["provider", "status", "sent_at"], name="referral_provider_status"),
            models.Index(fields=["case", "sent_at"], name="referral_case_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(feedback_rating__isnull=True)
                | models.Q(feedback_rating__gte=1, feedback_rating__lte=5),
                name="referral_rating_1_5",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL


class ReferralLanguage(LanguageEntry):
    """A language of the person, copied into the package."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="languages")
    needs_interpreter = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]


class PlacementEnd(models.TextChoices):
    MOVED_ON = "moved_on", _("Moved on to other accommodation")
    LEFT = "left", _("Left of their own will")
    RETURNED = "returned", _("Returned to the country of origin")
    TRANSFERRED = "transferred", _("Transferred for safety")
    OTHER = "other", _("Other")


class Placement(Versioned, EncryptedModel):
    """A stay in safe accommodation, counted against the service's places while it lasts. The address is
    where the person is: location (T3), encrypted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    # Which safe house: location (T3) like the address (every placement's service is a safe accommodation).
    service = tiered(
        models.ForeignKey(ProviderService, on_delete=models.PROTECT, related_name="placements"),
        1,
        by_row=_service_of_row,
        withheld=SERVICE_WITHHELD,
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    address = EncryptedTextField(_("address"), blank=True, tier=3)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    end_reason = ChoiceField(PlacementEnd, _("why it ended"), max_length=20, blank=True)
    placed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "ended_at"], name="placement_service_open"),
            models.Index(fields=["case", "ended_at"], name="placement_case_open"),
        ]
        constraints = [
            one_open("case", closed_by="ended_at", name="placement_one_open_per_case"),
        ]
