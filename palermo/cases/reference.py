"""Reference values for the case record, taken from the HTCDS 2.0 picklists (`shared/domain/htcds`).

The stored value is the HTCDS value name, so exports need no mapping; labels are translatable.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Gender(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class ExploitationForm(models.TextChoices):
    """HTCDS vic_TypeOfExploitation, plus forced criminality (Directive 2011/36/EU art. 2(3))."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military service by non-state actors")
    ORGAN_REMOVAL = "OrganRemoval", _("Removal of organs")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Illegal adoption")
    SURROGACY = "Surrogacy", _("Surrogacy exploitation")
    FORCED_CRIMINALITY = "ForcedCriminality", _("Forced criminality")
    OTHER = "Other", _("Other")


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", pgettext_lazy("case status", "Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed, referred elsewhere")


class ClosureReason(models.TextChoices):
    ASSISTANCE_COMPLETED = "assistance_completed", _("Assistance completed")
    NEGATIVE_DECISION = "negative_decision", _("Not identified as a victim")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred to another mechanism or country")
    DECLINED = "declined", _("The person declined further assistance")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    RETURNED = "returned", _("Returned to the country of origin")
    DUPLICATE = "duplicate", _("Duplicate record")
    DECEASED = "deceased", _("Deceased")
