"""Child victims (brief §4): guardianship, best-interest procedures, family tracing, care, the court or
authority decision on legal status, and the durable solution with its return follow-ups.

What is case metadata (T1) stays plain: kinds, dates, outcomes, who acted for which agency. What the child,
the family or the professionals said, and why, is narrative (T4, encrypted); where the family is, location
(T3).
Every decision here inherits `ChildViewsRecord`: the child's views, or why the child was not heard, with the
child's age and the interpreter.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.accounts.models import Agency, User
from palermo.accounts.records import ForAgency, Recorded
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.core.constraints import ChoiceField
from palermo.core.decisions import ChildViewsRecord
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField, optional_key, tiered
from palermo.core.models_meta import one_open
from palermo.core.records import NamedRow, Versioned
from palermo.core.text import text_for_reader

# --- guardianship ----------


class GuardianshipEnd(models.TextChoices):
    REPLACED = "replaced", _("Replaced by another guardian")
    ADULT = "adult", _("The person is no longer a child")
    CLOSED = "closed", _("The case was closed")
    OTHER = "other", _("Other reason")


class Guardianship(NamedRow):
    """An independent guardian (a guardian of a guardianship service) appointed for the child of a case."""

    row_name = "guardianship {pk} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="guardianships")
    guardian = models.ForeignKey(User, on_delete=models.PROTECT, related_name="guardianships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="guardianships")
    appointed_at = models.DateTimeField(_("appointed"))
    appointed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ended_because = ChoiceField(GuardianshipEnd, _("why it ended"), max_length=10, blank=True)

    class Meta:
        ordering = ["-appointed_at", "-id"]
        constraints = [
            one_open("case", closed_by="ended_at", name="one_guardian_per_case"),
        ]
        indexes = [models.Index(fields=["case", "ended_at"], name="guardianship_case_active")]

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


# --- best interest ----------


class SolutionKind(models.TextChoices):
    INTEGRATION = "integration", _("Integration in the country of destination")
    RETURN = "return", _("Return to the country of origin")
    RELOCATION = "relocation", _("Relocation to a third country")


class BestInterestKind(models.TextChoices):
    ASSESSMENT = "assessment", _("Best-interest assessment")
    DETERMINATION = "determination", _("Best-interest determination")


class BestInterestProcedure(NamedRow, Recorded, EncryptedModel, ChildViewsRecord):
    """An assessment (gathers and weighs) or a determination (the formal, multidisciplinary decision that
    decisions on legal status, care, return and resettlement wait for)."""

    row_name = "{kind} {pk} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="best_interest_procedures")
    kind = ChoiceField(BestInterestKind, _("kind"), max_length=15)
    decided_on = models.DateField(_("date"))
    participant_agencies = models.ManyToManyField(
        Agency, related_name="+", verbose_name=_("participating agencies")
    )
    information_considered = EncryptedTextField(_("information considered"), tier=4)
    options_considered = EncryptedTextField(_("options weighed"), tier=4)
    decision = EncryptedTextField(_("the decision"), tier=4)
    reasons = EncryptedTextField(_("reasons"), tier=4)
    # What a determination recommends (case metadata, T1): a child's return goes ahead only on the latest
    # determination recommending it (palermo.children.returning). Blank: not said (records made before).
    recommends = ChoiceField(SolutionKind, _("recommends"), max_length=12, blank=True, default="")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["case", "kind"], name="best_interest_case_kind")]


class BestInterestParticipant(NamedRow):
    """One professional role that took part: a determination is multidisciplinary."""

    row_name = "{role} in {procedure_id}"

    procedure = models.ForeignKey(BestInterestProcedure, on_delete=models.CASCADE, related_name="roles")
    role = ChoiceField(Role, _("role"), max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "role"], name="best_interest_role_once")]


# --- family tracing ----------


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Tracing")
    FOUND = "found", _("Family found")
    NOT_FOUND = "not_found", _("Family not found")
    CLOSED = "closed", pgettext_lazy("tracing status", "Closed")


class TracingRequest(ForAgency, Versioned, EncryptedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tracing_requests")
    # The country where the family is sought (ISO 3166 alpha-3) and the agency asked to trace (which works in
    # a country): where the child's relatives are, so location (T3, decision 0020).
    country = tiered(models.CharField(_("country"), max_length=3, blank=True), 3)
    tracing_agency = tiered(
        optional_key(Agency, _("tracing agency")),
        3,
    )
    requested_on = models.DateField(_("requested on"))
    details = EncryptedTextField(_("who is sought"), tier=4)
    status = ChoiceField(TracingStatus, _("status"), max_length=10, default=TracingStatus.OPEN)
    result_on = models.DateField(_("result on"), null=True, blank=True)
    # Where the family was found is location (T3).
    result = EncryptedTextField(_("result"), tier=3, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="tracing_case_status")]


class ContactMode(models.TextChoices):
    PHONE = "phone", _("Telephone")
    VIDEO = "video", _("Video call")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter or message")
    THROUGH_AGENCY = "agency", _("Through an agency")


class FamilyContact(Recorded, EncryptedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="family_contacts")
    tracing = models.ForeignKey(
        TracingRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    contacted_on = models.DateField(_("contacted on"))
    mode = ChoiceField(ContactMode, _("how"), max_length=10)
    summary = EncryptedTextField(_("summary"), tier=4)

    class Meta:
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["case", "contacted_on"], name="family_contact_case")]


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNCLEAR = "unclear", _("Not clear")


class FamilyAssessment(ForAgency, EncryptedModel):
    """The family's ability and willingness to receive the child: no return is considered without one."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="family_assessments")
    assessed_on = models.DateField(_("assessed on"))
    able = ChoiceField(Answer, _("able to receive the child"), max_length=10)
    willing = ChoiceField(Answer, _("willing to receive the child"), max_length=10)
    # Whether the family was itself involved in the trafficking: a return to it is then not safe.
    family_involved = ChoiceField(Answer, _("family involved in the trafficking"), max_length=10)
    summary = EncryptedTextField(_("assessment"), tier=4)
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "assessed_on"], name="family_assessment_case")]

    @property
    def favourable(self) -> bool:
        return self.able == Answer.YES and self.willing == Answer.YES and self.family_involved == Answer.NO


# --- care ----------


class CareType(models.TextChoices):
    FAMILY = "family", _("Family-type care (kinship)")
    FOSTER = "foster", _("Foster family")
    COMMUNITY = "community", _("Community-based care")
    RESIDENTIAL = "residential", _("Residential care")


class CareArrangement(ForAgency, EncryptedModel, ChildViewsRecord):
    """Where and how the child is cared for; family-type and community care are preferred, so residential care
    states why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="care_arrangements")
    type = ChoiceField(CareType, _("type of care"), max_length=12)
    # Who cares for the child (a children's home, a foster care service) says where the child lives:
    # location (T3, decision 0020). The type of care is case metadata.
    provider = tiered(
        optional_key(Agency, _("care provider")),
        3,
    )
    starts_on = models.DateField(_("starts"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    residential_reason = EncryptedTextField(_("why residential care"), tier=4, blank=True)
    reasons = EncryptedTextField(_("reasons"), tier=4)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["case", "ended_on"], name="care_case_current")]


class CareQuality(models.TextChoices):
    GOOD = "good", _("Meets the child's needs")
    IMPROVE = "improve", _("Needs improvement")
    CHANGE = "change", _("Change of arrangement needed")


class CareReview(ForAgency, EncryptedModel):
    arrangement = models.ForeignKey(CareArrangement, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    quality = ChoiceField(CareQuality, _("quality"), max_length=10)
    findings = EncryptedTextField(_("findings"), tier=4)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["arrangement", "reviewed_on"], name="care_review_arrangement")]


# --- legal status and durable solution ----------


class DecidingBody(models.TextChoices):
    COURT = "court", _("Court")
    AUTHORITY = "authority", _("Administrative authority")


class ChildStatusOutcome(models.TextChoices):
    TEMPORARY_RESIDENCE = "temporary", _("Temporary residence")
    PERMANENT_RESIDENCE = "permanent", _("Permanent residence")
    INTERNATIONAL_PROTECTION = "protection", _("International protection")
    RETURN = "return", _("Return to the country of origin")
    RELOCATION = "relocation", _("Relocation to a third country")


class LegalStatusDecision(Recorded, EncryptedModel, ChildViewsRecord):
    """The court's or authority's decision on the child's legal status; the child is legally represented."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="child_status_decisions")
    body = ChoiceField(DecidingBody, _("decided by"), max_length=10)
    body_name = models.CharField(_("court or authority"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    outcome = ChoiceField(ChildStatusOutcome, _("outcome"), max_length=12)
    # The child's lawyer or legal representative (a professional, named as such).
    legal_representative = models.CharField(_("legal representative"), max_length=200)
    reasons = EncryptedTextField(_("reasons"), tier=4)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["case", "decided_on"], name="child_status_case")]


class RiskConclusion(models.TextChoices):
    SAFE = "safe", _("Return is safe")
    UNSAFE = "unsafe", _("Return is not safe")


class EscortRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    GUARDIAN = "guardian", _("Guardian")
    NGO_WORKER = "ngo_worker", _("NGO worker")
    FAMILY = "family", _("Family member")
    POLICE = "police", _("Police officer")
    OTHER = "other", _("Other adult")


class DurableSolution(ForAgency, Versioned, EncryptedModel, ChildViewsRecord):
    """Integration, return or third-country relocation. A return decided here (before docs/decisions/0050)
    also records its risk assessment, the family assessment it relies on and the accompanying adult (never a
    police officer); those records stay readable and their follow-ups recordable, but a new return of a child
    goes through the returns area's machinery (palermo.returns), with this area's rules on top."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="durable_solutions")
    kind = ChoiceField(SolutionKind, _("solution"), max_length=12)
    # Where the child is to live (return or relocation): location (T3, decision 0020).
    country = tiered(models.CharField(_("country"), max_length=3, blank=True), 3)
    decided_on = models.DateField(_("decided on"))
    reasons = EncryptedTextField(_("reasons"), tier=4)
    risk_assessed_on = models.DateField(_("risk assessed on"), null=True, blank=True)
    risk_conclusion = ChoiceField(RiskConclusion, _("risk assessment"), max_length=10, blank=True)
    risk_summary = EncryptedTextField(_("risk assessment summary"), tier=4, blank=True)
    family_assessment = models.ForeignKey(
        FamilyAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escort_role = ChoiceField(EscortRole, _("accompanying adult"), max_length=15, blank=True)
    escort_name = EncryptedCharField(_("accompanying adult's name"), max_length=200, tier=2, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["case", "kind"], name="durable_solution_case")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(escort_role=EscortRole.POLICE), name="return_escort_not_police"
            ),
        ]


class ScheduledFollowUp(models.Model):
    """Abstract: a follow-up contact after a return, due on a day (a deadline till it is made); who made it,
    for which agency, is set when it is made. A child's return is followed up so (`FollowUpContact`), and an
    adult's (palermo.returns)."""

    due_on = models.DateField(_("due"))
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True
        ordering = ["due_on", "id"]


class FollowUpContact(ScheduledFollowUp, EncryptedModel):  # noqa: DJ008 (Django's default name, as ever)
    """One scheduled follow-up after a child's return (rulebook children.return_followup_days)."""

    solution = models.ForeignKey(DurableSolution, on_delete=models.PROTECT, related_name="followups")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="return_followups")
    wellbeing = EncryptedTextField(_("the child's situation"), tier=4, blank=True)

    class Meta(ScheduledFollowUp.Meta):
        indexes = [models.Index(fields=["case", "due_on"], name="followup_case_due")]


class GuardianNotice(NamedRow):
    """An in-app record of a decision the guardian was told of (the label only, as in the email)."""

    row_name = "notice {pk} on case {case_id}"

    guardianship = models.ForeignKey(Guardianship, on_delete=models.PROTECT, related_name="notices")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="guardian_notices")
    label = models.CharField(_("decision"), max_length=300)
    # The label's message (its source text, as the catalogues know it) and arguments, so that each reader
    # reads it in their own language (as a timeline entry's); empty for notices kept before, shown as `label`.
    message = models.CharField(max_length=300, blank=True, default="")
    message_arguments = models.JSONField(default=dict, blank=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    decided_at = models.DateTimeField(_("decided"))
    emailed = models.BooleanField(_("emailed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["case", "decided_at"], name="guardian_notice_case")]

    @property
    def label_for_reader(self) -> str:
        """The decision's label in the reader's language (a notice kept without a message, as kept)."""
        return text_for_reader(self.label, self.message, self.message_arguments)
