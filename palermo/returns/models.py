"""Safe and voluntary return and third-country resettlement of adults, and transnational referral packages
(docs/decisions/0038, 0039).

Case metadata (T1) stays plain: kinds, statuses, dates, the partner's name, the HTCDS field names a package
carried. Where the person goes (the country of return or resettlement, the travel plan, the reception) is
location (T3); what the person said and what was assessed is narrative (T4); what a package carried (names,
birth date) is identity (T2). All of it encrypted or tiered on the field.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.accounts.models import Agency, User
from palermo.accounts.records import ForAgency, Recorded
from palermo.cases.models import Case, Consent
from palermo.children.models import EscortRole, ScheduledFollowUp
from palermo.core.constraints import ChoiceField
from palermo.core.decisions import ChildViewsRecord
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField, tiered
from palermo.core.models_meta import one_open
from palermo.core.records import NamedRow, Versioned
from palermo.origin.models import Partner

# --- transnational packages ----------


class PartnerKey(NamedRow):
    """A partner abroad's public keys (the partner is the origin area's: another country's NRM or an
    organisation in the country of origin), registered by the system administrator after checking the
    fingerprint with the partner by another channel. Revoked, never deleted (packages name it); one key set
    in use per partner."""

    row_name = "keys {pk} of partner {partner_id}"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="keys")
    public_keys = models.TextField(_("public keys (JWK set)"))
    fingerprint = models.CharField(_("fingerprint"), max_length=80)
    signing_kid = models.CharField(max_length=100, db_index=True)
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Where packages for the partner are POSTed (docs/decisions/0051); blank: handed over as a file.
    inbox_url = models.URLField(_("the partner's inbox address"), max_length=500, blank=True)
    # Which agency here gets the packages the partner POSTs to our inbox (none: refused there).
    receiving_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        constraints = [
            one_open("partner", closed_by="revoked_at", name="partner_key_in_use"),
        ]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class PackagePurpose(models.TextChoices):
    RECEPTION = "reception", _("Reception and reintegration after a return")
    CONTINUED_ASSISTANCE = "assistance", _("Continued assistance in the partner's country")


class PackageDirection(models.TextChoices):
    SENT = "sent", pgettext_lazy("package direction", "Sent")
    RECEIVED = "received", _("Received")


class PackageStatus(models.TextChoices):
    # Sent packages (docs/decisions/0051): made for a partner without an inbox address (handed over as a
    # file); waiting for the worker to deliver it; delivered (the partner's inbox gave a receipt); given up
    # after the last attempt or refused by the partner; stopped at sending (consent withdrawn, keys revoked).
    READY = "ready", _("Ready to hand over: download it and give it to the partner")
    QUEUED = "queued", _("Queued for sending to the partner's inbox")
    SENT = "sent", _("Sent: the partner's inbox gave a receipt")
    FAILED = "failed", _("Not delivered: sending failed")
    STOPPED = "stopped", _("Not sent: stopped before sending")
    AWAITING = "awaiting", _("Awaiting a decision")
    ACCEPTED = "accepted", _("Accepted: referral opened")
    DECLINED = "declined", pgettext_lazy("package status", "Declined")


class TransnationalPackage(NamedRow, ForAgency, EncryptedModel):
    """One package sent to, or received from, a partner abroad. `token` is the JWE itself (ciphertext to all
    but its recipient); `content` the HTCDS fields it carried (identity, T2, encrypted); `field_names` which
    fields those were (case metadata)."""

    row_name = "package {pk} ({direction})"

    direction = ChoiceField(PackageDirection, _("direction"), max_length=10)
    status = ChoiceField(PackageStatus, _("status"), max_length=10)
    package_id = models.UUIDField(_("package"), default=uuid.uuid4)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="packages")
    # The keys it was sealed to (sent) or verified with (received).
    key = models.ForeignKey(PartnerKey, on_delete=models.PROTECT, related_name="packages")
    purpose = ChoiceField(PackagePurpose, _("purpose"), max_length=12)
    # Sent: the case it came from; received: the case opened when someone accepted it.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="packages")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field_names = models.JSONField(_("fields"), default=list)
    content = EncryptedTextField(_("what the package carried"), tier=2)
    token = models.TextField()
    at = models.DateTimeField(_("on"))
    # Who made it (sent) or opened it (received); none for a package a partner POSTed to our inbox.
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Delivery to the partner's inbox (sent packages with an inbox address): attempts made, when the next is
    # due, when it was delivered and the receipt the partner's inbox gave; `outcome` the last attempt's code.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    receipt = models.CharField(_("the partner's receipt"), max_length=200, blank=True)
    outcome = models.CharField(_("last attempt"), max_length=40, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"], name="package_case"),
            models.Index(fields=["direction", "status"], name="package_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["direction", "package_id"], name="package_once"),
        ]


# --- resettlement ----------


class ResettlementGround(models.TextChoices):
    RETURN_UNSAFE = "return_unsafe", _("Return is not safe and staying is not possible")
    PROTECTION = "protection", _("Protection needs in the country of destination")
    FAMILY = "family", _("Family in the receiving country")
    MEDICAL = "medical", _("Medical needs")
    OTHER = "other", _("Other grounds")


class ResettlementChannel(models.TextChoices):
    UNHCR = "unhcr", _("Through UNHCR")
    IOM = "iom", _("Through IOM")
    STATE = "state", _("A State's own programme")
    OTHER = "other", _("Other programme")


class ResettlementStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    SUBMITTED = "submitted", _("Submitted to the receiving State")
    ACCEPTED = "accepted", _("Accepted by the receiving State")
    REFUSED = "refused", _("Refused by the receiving State")
    DEPARTED = "departed", _("Resettled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Resettlement(Recorded, Versioned, EncryptedModel):
    """Resettlement of an adult to a third country: the grounds, the receiving State and the programme, the
    steps with their dates, the outcome."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="resettlements")
    ground = ChoiceField(ResettlementGround, _("grounds"), max_length=15)
    grounds = EncryptedTextField(_("the grounds in detail"), tier=4)
    # Where the person is to live: location (T3, decision 0020).
    receiving_country = tiered(models.CharField(_("receiving State"), max_length=3), 3)
    channel = ChoiceField(ResettlementChannel, _("programme"), max_length=10)
    programme = models.CharField(_("programme name or reference"), max_length=200, blank=True)
    status = ChoiceField(ResettlementStatus, _("status"), max_length=10, default=ResettlementStatus.PREPARING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    started_on = models.DateField(_("started on"))

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="resettlement_case")]


class ResettlementStepKind(models.TextChoices):
    REFERRAL = "referral", _("Referred to the programme")
    INTERVIEW = "interview", _("Interview")
    MEDICAL = "medical", _("Medical check")
    ORIENTATION = "orientation", _("Cultural orientation")
    DOCUMENTS = "documents", _("Travel documents and exit formalities")
    OTHER = "other", _("Other step")


class ResettlementStep(Recorded, EncryptedModel):
    resettlement = models.ForeignKey(Resettlement, on_delete=models.PROTECT, related_name="steps")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = ChoiceField(ResettlementStepKind, _("step"), max_length=12)
    on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), tier=4, blank=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["resettlement", "on"], name="resettlement_step")]


# --- safe and voluntary return ----------


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested by the person")
    CLEARED = "cleared", _("Cleared to proceed")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn by the person")
    CLOSED = "closed", _("Follow-up closed")


class PartnerConclusion(models.TextChoices):
    SAFE = "safe", _("Return is safe with the support planned")
    UNSAFE = "unsafe", _("Return is not safe")


class VoluntaryReturn(Recorded, Versioned, EncryptedModel, ChildViewsRecord):
    """A safe and voluntary return. It proceeds only with the person's informed, voluntary request (in their
    language, not withdrawn), a current risk assessment of the proceedings area that is not high, and a
    receiving partner in the country of return (the origin area's directory) whose own assessment found it
    safe. On a child's case the children area's rules apply on top (palermo.children.returning): the child's
    views (ChildViewsRecord) and the guardian's view are recorded here, the accompanying adult is named in
    the travel plan (docs/decisions/0050)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="voluntary_returns")
    status = ChoiceField(ReturnStatus, _("status"), max_length=10, default=ReturnStatus.REQUESTED)
    # Where the person goes: location (T3, decision 0020).
    country = tiered(models.CharField(_("country of return"), max_length=3), 3)
    requested_on = models.DateField(_("requested on"))
    request_language = models.CharField(_("language of the request"), max_length=3)
    informed_on = models.DateField(_("informed of rights and options on"))
    # The request in the person's own words (T4).
    request = EncryptedTextField(_("the person's request"), tier=4)
    # The receiving partner says in which country the person will be, but not where: location (T3).
    partner = tiered(
        models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"), 3
    )
    partner_assessed_on = models.DateField(_("partner assessed on"), null=True, blank=True)
    partner_conclusion = ChoiceField(PartnerConclusion, _("partner's conclusion"), max_length=10, blank=True)
    partner_assessment = EncryptedTextField(_("the partner's assessment"), tier=4, blank=True)
    travel_on = models.DateField(_("travel date"), null=True, blank=True)
    travel_plan = EncryptedTextField(_("travel plan"), tier=3, blank=True)
    reception = EncryptedTextField(_("reception at arrival"), tier=3, blank=True)
    housing = EncryptedTextField(_("housing"), tier=4, blank=True)
    income = EncryptedTextField(_("income"), tier=4, blank=True)
    medical = EncryptedTextField(_("medical care"), tier=4, blank=True)
    education = EncryptedTextField(_("education"), tier=4, blank=True)
    legal = EncryptedTextField(_("legal support"), tier=4, blank=True)
    # A child's return: the accompanying adult, never a police officer (role T1, name T2), and the guardian's
    # view on the return (T4). Blank on an adult's case.
    escort_role = ChoiceField(EscortRole, _("accompanying adult"), max_length=15, blank=True, default="")
    escort_name = EncryptedCharField(_("accompanying adult's name"), max_length=200, tier=2, blank=True)
    guardian_view = EncryptedTextField(_("the guardian's view"), tier=4, blank=True)
    returned_on = models.DateField(_("arrived on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="voluntary_return_case")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(escort_role=EscortRole.POLICE), name="voluntary_return_escort_not_police"
            ),
        ]


class ReturnFollowUp(ScheduledFollowUp, EncryptedModel):
    """A follow-up contact after an adult's return (rulebook returns.followup_days), a deadline till done."""

    voluntary_return = models.ForeignKey(VoluntaryReturn, on_delete=models.PROTECT, related_name="followups")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    situation = EncryptedTextField(_("the person's situation"), tier=4, blank=True)

    class Meta(ScheduledFollowUp.Meta):
        indexes = [models.Index(fields=["case", "due_on"], name="return_followup_due")]
