from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palermo.access.tiers import TIER_LABELS, Tier
from palermo.accounts.models import Agency, User
from palermo.accounts.proxies import agency_proxy_tier
from palermo.accounts.records import RecordedBy
from palermo.cases.reference import CaseStatus, ClosureReason, ExploitationForm, Gender
from palermo.core.blind_index import (
    BIRTH_DATE,
    DOCUMENT,
    NAME,
    NAME_SOUND,
    BlindIndexField,
    birth_date_index,
    name_index,
)
from palermo.core.constraints import ChoiceField, IntegerChoiceField
from palermo.core.fields import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedModel,
    EncryptedTextField,
    optional_key,
    tiered,
)
from palermo.core.models_meta import one_open
from palermo.core.records import LanguageEntry, NamedRow, Versioned, language_once
from palermo.core.text import text_for_reader

# Crockford's base32 without look-alike letters: readable over the phone, reveals nothing about the person.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_reference() -> str:
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"NRM-{body[:4]}-{body[4:]}"


class Phase(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification")
    REFLECTION = "reflection", _("Reflection and recovery")
    ASSISTANCE = "assistance", _("Assistance")
    LONG_TERM = "long_term", _("Long-term solution")
    CLOSED = "closed", pgettext_lazy("case phase", "Closed")


class ContactRoute(models.TextChoices):
    """How the person may be reached safely (not how the first contact happened: that is the intake's
    ContactChannel). A route, not an address: the numbers and addresses are the person's encrypted fields."""

    THROUGH_NGO = "through_ngo", _("Through the supporting NGO")
    CASE_WORKER = "case_worker", _("Only through the case worker")
    PHONE = "phone", _("By phone")
    EMAIL = "email", _("By email")
    IN_PERSON = "in_person", _("In person, at an agreed place")
    NONE = "none", _("Do not contact")


class Case(Versioned):
    """A trafficked person's case: the record every agency works on. T1 metadata lives here unencrypted."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_case_reference)
    phase = ChoiceField(Phase, _("phase"), max_length=20, default=Phase.IDENTIFICATION, db_index=True)
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead agency")
    )
    status = ChoiceField(CaseStatus, _("status"), max_length=20, default=CaseStatus.ACTIVE, db_index=True)
    # Derived by the services from the person's age or presumed minority; T1, so lists can filter on it.
    is_child = models.BooleanField(_("child's case"), default=False, db_index=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="opened_cases", verbose_name=_("opened by")
    )
    # Where a re-opened case goes back to.
    phase_before_closing = ChoiceField(Phase, max_length=20, blank=True)
    closure_reason = ChoiceField(ClosureReason, _("closure reason"), max_length=30, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # How to reach the person safely: contact data (T2), shown and changed only at T2. A code from a short
    # list says nothing about the person, so it is a plain column; the details it points to (phone, email,
    # address) are the person's encrypted fields. Empty: not yet agreed.
    contact_channel = ChoiceField(
        ContactRoute, _("how to reach the person safely"), max_length=20, blank=True
    )
    # When the exploitation happened, to the month (the first day of each month is stored): T1, like the form
    # of exploitation. Whether the person was under the age threshold when it began is derived from it and
    # the persons' birth dates by the child flag's writer (palermo.cases.services.child_flag), so the child
    # rules can apply to an adult who was exploited as a child (docs/decisions/0018).
    exploitation_began = models.DateField(_("exploitation began (month)"), null=True, blank=True)
    exploitation_ended = models.DateField(_("exploitation ended (month)"), null=True, blank=True)
    child_when_exploited = models.BooleanField(_("a child when the exploitation began"), default=False)
    # Where and in which sector (T1, counted by the statistics and exchanged in HTCDS/CTDC terms): the country
    # as an ISO 3166 alpha-3 code, the sector as a value name of HTCDS vic_ForcedLabourIndustry (read from the
    # standard's file, palermo.core.htcds). Empty: not recorded.
    exploitation_country = models.CharField(
        _("country of exploitation"), max_length=3, blank=True, default=""
    )
    exploitation_sector = models.CharField(_("sector of exploitation"), max_length=80, blank=True, default="")
    # Who recruited the person (T1, HTCDS vic_RelationshipToTrafficker; the means of control, several, are
    # rows of CaseControlMeans). Empty: not recorded.
    recruiter_relationship = models.CharField(
        _("relationship to the recruiter"), max_length=20, blank=True, default=""
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        indexes = [
            models.Index(fields=["lead_agency", "phase", "opened_at"], name="case_agency_phase"),
            models.Index(fields=["status", "opened_at"], name="case_status_opened"),
            # The retention run and the data protection officer's list: closed cases by when they closed.
            models.Index(fields=["status", "closed_at"], name="case_status_closed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def means_of_control(self) -> list[str]:
        """The means of control recorded (value names, sorted); prefetch `control_means` to read many."""
        return sorted(row.means for row in self.control_means.all())


class BirthDatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    YEAR_MONTH = "year_month", _("Year and month known")
    YEAR = "year", _("Year known")
    ESTIMATED = "estimated", _("Estimated")


class AgeGroup(models.TextChoices):
    """The Counter Trafficking Data Collaborative's ageBroad bands: T1, safe to count."""

    AGE_0_8 = "0-8", "0-8"
    AGE_9_17 = "9-17", "9-17"
    AGE_18_20 = "18-20", "18-20"
    AGE_21_23 = "21-23", "21-23"
    AGE_24_26 = "24-26", "24-26"
    AGE_27_29 = "27-29", "27-29"
    AGE_30_38 = "30-38", "30-38"
    AGE_39_47 = "39-47", "39-47"
    AGE_48_PLUS = "48+", "48+"
    UNKNOWN = "unknown", _("Unknown")


class PersonQuerySet(models.QuerySet["Person"]):
    """Exact look-ups through blind indexes: the query is normalised and hashed, never compared in clear."""

    def matching_name(self, full_name: str) -> PersonQuerySet:
        """Persons whose name, in the original script or in Latin letters, matches in any order or case."""
        index = name_index(full_name)
        if not index:
            return self.none()
        return self.filter(models.Q(name_index=index) | models.Q(latin_name_index=index))

    def matching_birth_date(self, birth_date: datetime.date | str) -> PersonQuerySet:
        return self.filter(birth_date_index=birth_date_index(birth_date))


class Person(NamedRow, Versioned, EncryptedModel):
    """A person a case is about. Identity (T2), whereabouts (T3) and narrative (T4) are encrypted field by
    field and bound to this row (see palermo.core.fields); blind indexes allow exact matching by name and
    birth date without decrypting. `__str__` names the row, never the person."""

    row_name = "person {pk}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="persons", verbose_name=_("case"))
    # Names as the person writes them, in their own script.
    given_names = EncryptedCharField(_("given names"), max_length=200, tier=2)
    family_names = EncryptedCharField(_("family names"), max_length=200, blank=True, tier=2)
    # The same names in Latin letters, as written in documents or by an interpreter.
    given_names_latin = EncryptedCharField(
        _("given names (Latin letters)"), max_length=200, blank=True, tier=2
    )
    family_names_latin = EncryptedCharField(
        _("family names (Latin letters)"), max_length=200, blank=True, tier=2
    )
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True, tier=2)
    current_address = EncryptedTextField(_("current address"), blank=True, tier=3)
    note = EncryptedTextField(_("note"), blank=True, tier=4)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, tier=2)
    email = EncryptedCharField(_("email"), max_length=200, blank=True, tier=2)

    # T1 facts about the person that statistics and lists may use without identifying anyone.
    gender = ChoiceField(Gender, _("gender"), max_length=30, default=Gender.UNKNOWN)
    # Identity (T2) like the date it qualifies.
    birth_date_precision = tiered(
        ChoiceField(
            BirthDatePrecision,
            _("how precise the birth date is"),
            max_length=12,
            default=BirthDatePrecision.EXACT,
        ),
        2,
    )
    # Presumption of minority (CETS 197 art. 10(3)): age uncertain and reasons to believe a child.
    age_uncertain = models.BooleanField(_("age is uncertain"), default=False)
    believed_child = models.BooleanField(
        _("there are reasons to believe the person is a child"), default=False
    )
    age_group = ChoiceField(AgeGroup, _("age group"), max_length=8, default=AgeGroup.UNKNOWN, db_index=True)

    name_index = BlindIndexField(sources=("given_names", "family_names"), kind=NAME)
    latin_name_index = BlindIndexField(sources=("given_names_latin", "family_names_latin"), kind=NAME)
    birth_date_index = BlindIndexField(sources=("birth_date",), kind=BIRTH_DATE)
    # Sound keys of the same names, for the non-removal look-up's near matches (another transliteration).
    name_sound_index = BlindIndexField(sources=("given_names", "family_names"), kind=NAME_SOUND)
    latin_name_sound_index = BlindIndexField(
        sources=("given_names_latin", "family_names_latin"), kind=NAME_SOUND
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")


class CaseControlMeans(NamedRow):
    """One means of control used on the person (HTCDS vic_MethodsOfControl is multi-select: a value name of
    the standard's file, palermo.core.htcds). T1."""

    row_name = "{case_id}: {means}"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="control_means")
    means = models.CharField(_("means of control"), max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "means"], name="case_control_means_unique")]
        indexes = [models.Index(fields=["means", "case"], name="case_control_means")]


class CaseExploitation(NamedRow):
    """One form of exploitation on a case (HTCDS vic_TypeOfExploitation is multi-select). T1."""

    row_name = "{case_id}: {form}"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitation_forms")
    form = ChoiceField(ExploitationForm, _("form of exploitation"), max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "form"], name="case_exploitation_unique")]
        indexes = [models.Index(fields=["form", "case"], name="case_exploitation_form")]


class PersonAlias(EncryptedModel):
    """Another name the person is or was known by (T2), matchable through its blind index."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = EncryptedCharField(_("alias"), max_length=200, tier=2)
    name_index = BlindIndexField(sources=("name",), kind=NAME)
    name_sound_index = BlindIndexField(sources=("name",), kind=NAME_SOUND)

    class Meta:
        ordering = ["id"]


class PersonCitizenship(models.Model):
    """A citizenship (ISO 3166-1 alpha-3, as in the CTDC codebook); nationality is T1 metadata."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizenships")
    country = models.CharField(_("country"), max_length=3, db_index=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["person", "country"], name="citizenship_unique")]

    def __str__(self) -> str:
        return self.country


class PersonLanguage(LanguageEntry):
    """A language the person speaks (ISO 639), and whether an interpreter is needed for it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [language_once("person", name="language_unique")]


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    TRAVEL_DOCUMENT = "travel_document", _("Travel document")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    WORK_PERMIT = "work_permit", _("Work permit")
    OTHER = "other", _("Other")


class DocumentHolder(models.TextChoices):
    PERSON = "person", _("The person")
    EXPLOITER = "exploiter", _("The exploiter or a third party")
    AUTHORITIES = "authorities", _("The authorities")
    UNKNOWN = "unknown", pgettext_lazy("document holder", "Unknown")


class IdentityDocument(Versioned, EncryptedModel):
    """An identity document; its number is T2, encrypted, and matchable through a blind index."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identity_documents")
    type = ChoiceField(DocumentType, _("type"), max_length=30)
    number = EncryptedCharField(_("number"), max_length=60, blank=True, tier=2)
    number_index = BlindIndexField(sources=("number",), kind=DOCUMENT)
    issuing_country = models.CharField(_("issuing country"), max_length=3, blank=True)
    held_by = ChoiceField(DocumentHolder, _("held by"), max_length=20, default=DocumentHolder.UNKNOWN)

    class Meta:
        ordering = ["id"]


class IntakeDraft(Versioned, EncryptedModel):
    """A referral being written: saved as the responder goes, resumable, until it is submitted as a case.

    The unfinished form is kept as one encrypted document (T4): a draft is the responder's working paper, with
    no meaning to query until submission turns it into the case's real columns.
    """

    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="intake_drafts")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="intake_drafts")
    content = EncryptedTextField(_("draft"), blank=True, tier=4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="intake_draft"
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["created_by", "submitted_case"], name="intake_draft_owner")]


class ConsentPurpose(models.TextChoices):
    REFERRAL = "referral", _("Referral to a named service")
    SHARING = "sharing", _("Sharing with an agency")
    TRANSNATIONAL = "transnational", _("Transfer to another country")
    STATISTICS = "statistics", _("Use in statistics")


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("The guardian or legal representative")
    # For a child before a guardian is appointed: the temporary representative recorded on the case.
    TEMPORARY = "temporary", _("The child's temporary representative (until a guardian is appointed)")


RECIPIENT_WITHHELD = {
    3: _("a provider of safe accommodation (withheld)"),
    4: _("a provider (withheld)"),
}


def _recipient_tier(consent: Consent) -> int:
    agency = consent.recipient_agency if consent.recipient_agency_id is not None else None
    agency_type = agency.type if agency is not None else ""
    return agency_proxy_tier(consent.recipient_agency_id, agency_type, consent)


class Consent(NamedRow, EncryptedModel):
    """Consent for one purpose and recipient, in a language the person understands; it can be withdrawn."""

    row_name = "consent {pk} ({purpose})"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    purpose = ChoiceField(ConsentPurpose, _("purpose"), max_length=20)
    # Naming a safe house's provider or a health service says where the person is or that they receive care:
    # the recipient reads at T3 or T4 for such an agency (palermo.accounts.proxies, decision 0020).
    recipient_agency = tiered(
        optional_key(Agency, _("recipient agency"), related_name="consents_received"),
        1,
        by_row=_recipient_tier,
        withheld=RECIPIENT_WITHHELD,
    )
    recipient_service = tiered(
        models.CharField(_("recipient service"), max_length=200, blank=True),
        1,
        by_row=_recipient_tier,
        withheld=RECIPIENT_WITHHELD,
    )
    recipient_country = models.CharField(_("recipient country"), max_length=3, blank=True)
    given_by = ChoiceField(ConsentGiver, _("given by"), max_length=10)
    language = models.CharField(_("language the consent was explained in"), max_length=3)
    given_at = models.DateTimeField(_("given on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consents_recorded")
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="consents_withdrawn"
    )
    # Free text written with the person, which may name or identify them: identity data (T2), encrypted, shown
    # only to readers of T2 on the case (the consent itself is case metadata, T1).
    withdrawal_note = EncryptedTextField(_("withdrawal note"), max_length=500, blank=True, tier=2)

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["case", "purpose", "withdrawn_at"], name="consent_case_purpose")]


class NoteTier(models.IntegerChoices):
    """Who may read a note or a document, in words (the labels are the tiers' own, palermo/access/tiers)."""

    METADATA = 1, TIER_LABELS[Tier.METADATA]
    IDENTITY = 2, TIER_LABELS[Tier.IDENTITY]
    LOCATION = 3, TIER_LABELS[Tier.LOCATION]
    NARRATIVE = 4, TIER_LABELS[Tier.NARRATIVE]


WRITER_WITHHELD = {3: _("(agency withheld)"), 4: _("(agency withheld)")}


def writer_tier(row: CaseNote | CaseDocument | CaseEvent) -> int:
    """Who wrote a note, a document or a timeline entry: an agency that runs a safe house or a health service
    is a proxy (decision 0020); the case's lead agency is case metadata. The rule reads `agency_id` and the
    row's `case_lead_agency_id` and agency annotations when its selector made them (`with_agency_tiers`)."""
    if row.agency_id is None:
        return 1
    lead = getattr(row, "case_lead_agency_id", None)  # annotated by the selectors of the lists
    if (row.case.lead_agency_id if lead is None else lead) == row.agency_id:
        return 1
    return agency_proxy_tier(row.agency_id, row.agency.type, row)


def writer(to: type[models.Model], related_name: str, *, null: bool = False) -> models.ForeignKey:
    """Who wrote a note, a document or a timeline entry (the person or their agency): a key whose tier is the
    row's `writer_tier`, withheld above it."""
    field = models.ForeignKey(to, on_delete=models.PROTECT, null=null, related_name=related_name)
    return tiered(field, 1, by_row=writer_tier, withheld=WRITER_WITHHELD)


class CaseNote(Versioned, EncryptedModel):
    """A note on a case. The body is always encrypted; `tier` says who may read it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    tier = IntegerChoiceField(NoteTier, _("tier"), default=NoteTier.NARRATIVE)
    body = EncryptedTextField(_("note"), tier=4)
    author = writer(User, "case_notes")
    agency = writer(Agency, "case_notes")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "tier", "created_at"], name="note_case_tier")]


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("Identity document")
    MEDICAL = "medical", _("Medical record")
    LEGAL = "legal", _("Legal document")
    STATEMENT = "statement", _("Statement or interview")
    PHOTO = "photo", _("Photograph")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


class CaseDocument(Versioned, EncryptedModel):
    """A file on a case, stored encrypted on disk outside the web root; its name is T2 encrypted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    tier = IntegerChoiceField(NoteTier, _("tier"), default=NoteTier.NARRATIVE)
    kind = ChoiceField(DocumentKind, _("kind"), max_length=20)
    filename = EncryptedCharField(_("file name"), max_length=255, tier=2)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # HMAC-SHA256 of the content under a key outside the database (docstore.content_digest), never a plain
    # hash that would confirm a guessed file. Empty: a document from before keying whose file was missing.
    content_hmac = models.CharField(max_length=64, blank=True)
    # A random name under the document store; says nothing about the person or the case.
    storage_name = models.CharField(max_length=64, unique=True)
    uploaded_by = writer(User, "case_documents")
    agency = writer(Agency, "case_documents")
    created_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn, not deleted: the row and the file stay for the record, but the file is no longer handed out.
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="case_documents_withdrawn"
    )
    # Why it was withdrawn may say what the document was about: identity data, like the file name.
    withdrawal_reason = EncryptedTextField(_("why it was withdrawn"), blank=True, tier=2)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "tier", "created_at"], name="document_case_tier")]


class EventKind(models.TextChoices):
    INTAKE = "intake", _("Referral received")
    STATUS = "status", _("Phase or status changed")
    TEAM = "team", _("Case team changed")
    PERSON = "person", _("Person details changed")
    NOTE = "note", _("Note")
    DOCUMENT = "document", _("Document")
    CONSENT = "consent", _("Consent")
    DECISION = "decision", _("Decision")
    REFERRAL = "referral", _("Referral to a service")
    SCREENING = "screening", _("Indicator screening")
    LEGAL_ELEMENTS = "legal_elements", _("Legal elements and differentiation")
    AGE_ASSESSMENT = "age_assessment", _("Age assessment")
    REFLECTION = "reflection", _("Reflection and recovery period")
    ENTITLEMENT = "entitlement", _("Entitlement")
    RESIDENCE = "residence", _("Residence status")
    ASYLUM = "asylum", _("Asylum")
    ASSISTANCE = "assistance", _("Assistance plan")
    ACCOMMODATION = "accommodation", _("Accommodation")
    GUARDIANSHIP = "guardianship", _("Guardianship")
    BEST_INTEREST = "best_interest", _("Best-interest procedure")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    RISK = "risk", _("Risk assessment and protection plan")
    PROCEEDINGS = "proceedings", _("Proceedings")
    RETURN = "return", _("Return, resettlement and transfers abroad")


class CaseEvent(NamedRow):
    """One entry of the case timeline, written by the service that did the thing.

    `summary` is a short, translatable-at-write, non-identifying sentence ("Note added", "Phase: assistance");
    the content itself stays in its own record, shown only to viewers allowed its `tier`.
    """

    row_name = "{kind} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = ChoiceField(EventKind, max_length=20)
    tier = IntegerChoiceField(NoteTier, default=NoteTier.METADATA)
    summary = models.CharField(max_length=300)
    # The summary's message (its source text, as the catalogues know it) and arguments, so that each reader
    # reads the entry in their own language; empty for entries written before, shown as `summary`.
    message = models.CharField(max_length=300, blank=True, default="")
    message_arguments = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = writer(User, "case_events", null=True)
    agency = writer(Agency, "case_events", null=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="event_case_time")]

    @property
    def summary_for_reader(self) -> str:
        """The summary in the reader's (active) language (an entry written without a message, as written)."""
        return text_for_reader(self.summary, self.message, self.message_arguments)


class TemporaryRepresentative(NamedRow, RecordedBy, EncryptedModel):
    """Who acts for a child until a guardian is appointed (CETS 197 art. 10(4): a representative from the
    moment the child is identified): the person (T2), the organisation they act for and since when. Consent
    for sharing and services may come from them, with the child's views recorded, until a guardian is
    appointed; appointing a guardian ends the representation (palermo.children)."""

    row_name = "temporary representative {pk} on case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="temporary_representatives")
    name = EncryptedCharField(_("name of the representative"), max_length=200, tier=2)
    organisation = models.CharField(_("organisation"), max_length=200)
    since = models.DateField(_("acting since"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-since", "-id"]
        constraints = [
            one_open("case", closed_by="ended_at", name="one_temporary_rep_per_case"),
        ]


class ConsentChildViews(NamedRow, EncryptedModel):
    """The child's own views on a consent given on their behalf (T4), or why the child was not heard."""

    row_name = "child's views on consent {consent_id}"

    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="child_views")
    views = EncryptedTextField(_("the child's views"), tier=4, blank=True)
    not_heard_reason = EncryptedTextField(_("why the child was not heard"), tier=4, blank=True)


class LeadTransfer(NamedRow, EncryptedModel):
    """The lead of a case handed from one agency to another, with the reason (free text that may name or
    identify the person: identity data, T2, encrypted like a team entry's reason; never in the audit log).
    The case's header shows the lead agency (T1); this row keeps who handed it on, to whom, when and why."""

    row_name = "lead transfer {pk} of case {case_id}"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lead_transfers")
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("from agency")
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("to agency")
    )
    reason = EncryptedTextField(_("reason"), max_length=500, tier=2)
    transferred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField(_("transferred"))

    class Meta:
        ordering = ["-transferred_at", "-id"]
        verbose_name = _("transfer of the lead agency")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_agency=models.F("to_agency")), name="lead_transfer_to_another"
            ),
        ]
