"""Residence status (brief §3.3-3.4; Taking a Stand, "Residence regimes and asylum"): applications for a
temporary or permanent permit, asylum, humanitarian grounds or third-country resettlement; the decisions on
them, appeals against refusals, and the permits granted.

- An **application** has a kind, the day it was lodged and the authority it was lodged with (T1). Asylum is
  an application like the others and never excludes a permit: both may run at the same time.
- A **decision** grants or refuses an application (or decides an appeal), with its reasons (T2, encrypted),
  the refusal ground from a closed list, who recorded it and the day. The reasons are the authority's
  statement of the legal basis of a decision on the person's status: identity and legal status (T2), what
  the migration authority that takes the decision reads and writes; never the person's account. Where the
  rulebook says status may not depend on cooperation, "non-cooperation" is not an acceptable ground and
  reasons may not make it one.
- A granted temporary, permanent, humanitarian or protection application gives a **permit** valid from/to,
  with the rights to work and study the rulebook gave on that day. A renewal is an application that names the
  permit it renews; granting it gives the next permit.
- A humanitarian-grounds application carries an **assessment** of the paper's criteria, one answer each.

Dates, kinds, statuses, outcomes and validity are case metadata (T1); a decision's reasons are legal status
(T2); the humanitarian findings and notes, grounds of appeal and the child's views are narrative (T4),
prepared by those who may write T4 (the case manager, the guardian); the country of resettlement says where
the person will be, so it is location (T3).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.accounts.models import User
from palermo.accounts.records import ForAgency
from palermo.cases.models import Case
from palermo.core.constraints import ChoiceField
from palermo.core.decisions import ChildViewsRecord
from palermo.core.fields import EncryptedCharField, EncryptedModel, EncryptedTextField
from palermo.core.records import NamedRow, Versioned


class ApplicationKind(models.TextChoices):
    TEMPORARY = "temporary", _("Temporary residence permit")
    RENEWAL = "renewal", _("Renewal of a residence permit")
    PERMANENT = "permanent", _("Permanent residence")
    ASYLUM = "asylum", _("Asylum (international protection)")
    HUMANITARIAN = "humanitarian", _("Residence on humanitarian grounds")
    RESETTLEMENT = "resettlement", _("Resettlement in a third country")


class PermanentRoute(models.TextChoices):
    """The paper's four routes to permanent or long-term residence."""

    ASSISTANCE_PROGRAMME = (
        "assistance_programme",
        _("Completion of a social assistance programme and labour insertion"),
    )
    JUDICIAL_COOPERATION = "judicial_cooperation", _("Cooperation with the judiciary")
    REFUGEE_STATUS = "refugee_status", _("Refugee status")
    HUMANITARIAN_GROUNDS = "humanitarian_grounds", _("Humanitarian grounds")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", pgettext_lazy("application status", "Granted")
    REFUSED = "refused", pgettext_lazy("application status", "Refused")
    APPEALED = "appealed", _("Refused, under appeal")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(NamedRow, ForAgency, Versioned, EncryptedModel):
    row_name = "{kind} application {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="residence_applications")
    kind = ChoiceField(ApplicationKind, _("kind"), max_length=15)
    route = ChoiceField(PermanentRoute, _("route"), max_length=25, blank=True)
    lodged_on = models.DateField(_("lodged"))
    authority = models.CharField(_("authority"), max_length=200)
    status = ChoiceField(ApplicationStatus, _("status"), max_length=10, default=ApplicationStatus.PENDING)
    # A renewal names the permit it renews.
    renews = models.ForeignKey(
        "Permit", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal_applications"
    )
    # Where the person would be resettled: location (T3).
    destination_country = EncryptedCharField(_("country of resettlement"), max_length=100, blank=True, tier=3)
    lodged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["lodged_on", "id"]
        verbose_name = _("residence application")
        indexes = [
            models.Index(fields=["case", "lodged_on"], name="residence_app_case"),
            models.Index(fields=["kind", "status"], name="residence_app_kind_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(route="") | models.Q(kind=ApplicationKind.PERMANENT),
                name="res_app_route_only_permanent",
            ),
            models.CheckConstraint(
                condition=models.Q(renews__isnull=True) | models.Q(kind=ApplicationKind.RENEWAL),
                name="res_app_renews_only_renewal",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in (ApplicationStatus.PENDING, ApplicationStatus.APPEALED)


class Outcome(models.TextChoices):
    GRANTED = "granted", pgettext_lazy("decision outcome", "Granted")
    REFUSED = "refused", pgettext_lazy("decision outcome", "Refused")


class RefusalGround(models.TextChoices):
    """Why an application was refused. Non-cooperation is listed because some laws allow it (CETS 197 art.
    14(1)(b)); where the rulebook says status may not depend on cooperation, it is refused."""

    NOT_ELIGIBLE = "not_eligible", _("Conditions of the status not met")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")
    SAFE_RETURN = "safe_return", _("Safe return found possible")
    OTHER_STATUS = "other_status", _("Another status is more favourable")
    NON_COOPERATION = "non_cooperation", _("No cooperation with the authorities")
    OTHER = "other", _("Other (see reasons)")


class Appeal(NamedRow, ForAgency, EncryptedModel):
    """An appeal (or request for review) against a refused application."""

    row_name = "appeal {pk} of application {application_id}"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    refused_by = models.ForeignKey("Decision", on_delete=models.PROTECT, related_name="+")
    lodged_on = models.DateField(_("lodged"))
    body = models.CharField(_("appeal body"), max_length=200)
    grounds = EncryptedTextField(_("grounds of appeal"), blank=True, tier=4)
    lodged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["lodged_on", "id"]
        indexes = [models.Index(fields=["application", "lodged_on"], name="residence_appeal_app")]


class Decision(NamedRow, ForAgency, EncryptedModel, ChildViewsRecord):
    row_name = "decision {pk} on application {application_id}"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    # Set when this decision decides an appeal.
    appeal = models.OneToOneField(
        Appeal, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    outcome = ChoiceField(Outcome, _("outcome"), max_length=10)
    refusal_ground = ChoiceField(RefusalGround, _("ground of refusal"), max_length=25, blank=True)
    # The legal basis of the decision on the person's status, as the authority states it: T2, so the
    # migration officer who takes the decision records it. Narrative belongs in the assessment or the appeal.
    reasons = EncryptedTextField(_("reasons"), tier=2)
    decided_on = models.DateField(_("decided"))
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    rulebook = models.CharField(max_length=60)

    class Meta:
        ordering = ["decided_on", "id"]
        indexes = [models.Index(fields=["application", "decided_on"], name="residence_decision_app")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome=Outcome.REFUSED, refusal_ground__in=RefusalGround.values)
                | models.Q(outcome=Outcome.GRANTED, refusal_ground=""),
                name="res_dec_ground_on_refusal",
            ),
        ]

    @property
    def granted(self) -> bool:
        return self.outcome == Outcome.GRANTED


class PermitKind(models.TextChoices):
    TEMPORARY = "temporary", _("Temporary residence permit")
    PERMANENT = "permanent", _("Permanent residence permit")
    HUMANITARIAN = "humanitarian", _("Residence permit on humanitarian grounds")
    PROTECTION = "protection", _("International protection (refugee status)")


class Permit(NamedRow, EncryptedModel):
    row_name = "{kind} permit {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="residence_permits")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="permit")
    kind = ChoiceField(PermitKind, _("kind"), max_length=15)
    route = ChoiceField(PermanentRoute, _("route"), max_length=25, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), db_index=True)
    # The rights the rulebook gave on the day of the grant.
    allows_work = models.BooleanField(_("allows work"))
    allows_study = models.BooleanField(_("allows study"))
    renewable = models.BooleanField(_("renewable"))
    rulebook = models.CharField(max_length=60)
    # The permit that renewed this one.
    renewed_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renews_permit"
    )

    class Meta:
        ordering = ["valid_from", "id"]
        indexes = [models.Index(fields=["case", "valid_from"], name="residence_permit_case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="res_permit_valid_range"
            ),
        ]


class Finding(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    UNKNOWN = "unknown", _("Not yet known")


# The paper's criteria for residence on humanitarian grounds, in its order (field name, label).
HUMANITARIAN_CRITERIA = (
    ("retaliation_risk", _("Risk of retaliation against the person or their family")),
    ("prosecution_risk", _("Risk of prosecution in the country of origin for trafficking-related offences")),
    ("poor_inclusion_prospects", _("Poor prospects of social inclusion there (stigma, discrimination)")),
    ("no_support_services", _("No adequate, confidential, non-stigmatising support services there")),
    ("children_present", _("Presence of children")),
    (
        "refoulement_risk",
        _("Risk of inhuman or degrading treatment on return (non-refoulement, ECHR art. 3)"),
    ),
)


def _finding(label: object) -> EncryptedCharField:
    """One criterion's finding: about the person's risks and family, so narrative (T4) and encrypted."""
    return EncryptedCharField(label, max_length=8, choices=Finding.choices, default=Finding.UNKNOWN, tier=4)


class HumanitarianAssessment(NamedRow, Versioned, EncryptedModel):
    row_name = "assessment of application {application_id}"

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="assessment")
    retaliation_risk = _finding(HUMANITARIAN_CRITERIA[0][1])
    prosecution_risk = _finding(HUMANITARIAN_CRITERIA[1][1])
    poor_inclusion_prospects = _finding(HUMANITARIAN_CRITERIA[2][1])
    no_support_services = _finding(HUMANITARIAN_CRITERIA[3][1])
    children_present = _finding(HUMANITARIAN_CRITERIA[4][1])
    refoulement_risk = _finding(HUMANITARIAN_CRITERIA[5][1])
    notes = EncryptedTextField(_("notes on the criteria"), blank=True, tier=4)
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("humanitarian grounds assessment")

    def findings(self) -> list[tuple[str, object, str]]:
        """(field, label, finding) for each criterion, in the paper's order."""
        return [(name, label, getattr(self, name)) for name, label in HUMANITARIAN_CRITERIA]
