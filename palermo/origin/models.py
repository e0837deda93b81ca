"""Country-of-origin information (COI) and partner organisations in countries of origin (Taking a Stand,
"Return and resettlement": NGOs and lawyers draw on reliable, current information about the countries of
origin; a return is assessed together with organisations there).

Nothing here is about a person: an **entry** is what a dated, named source says about a country (or a region
of it) on one topic, with a summary and a note on how reliable the source is; a **partner** is an
organisation in a country that receives, assesses or supports people who return, with its services, contacts
and languages. Both are reference data (T0), read by every staff role and written by the roles the access
matrix names (`[origin]` in palermo/access/data/matrix.toml).

An entry keeps every version it had (**revision**), so that a **citation** of it in a decision on a person's
status keeps the version and the content hash it cited: when the entry changes afterwards, the decision shows
that it changed, and what it said when it was cited. A citation names its decision by kind and id through a
registry (palermo.origin.citations), so any area's decisions can cite without this app knowing them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.core.constraints import ChoiceField
from palermo.core.records import LanguageEntry, NamedRow, Versioned, language_once


class Topic(models.TextChoices):
    """The paper's list of what NGOs and lawyers need to know about a country of origin, and what a return
    needs besides."""

    DISCRIMINATION = "discrimination", _("Discrimination by form of exploitation")
    RISK_ON_RETURN = "risk_on_return", _("Risk on return")
    STIGMA = "stigma", _("Stigma")
    CONFIDENTIAL_SUPPORT = "confidential_support", _("Confidential support")
    PROSECUTION_OF_VICTIMS = (
        "prosecution_of_victims",
        _("Prosecution of victims for trafficking-related offences"),
    )
    ROUTES = "routes", _("Trafficking routes")
    STATE_PROTECTION = "state_protection", _("State protection")
    REINTEGRATION = "reintegration", _("Reintegration services")
    LEGAL_AID = "legal_aid", _("Legal aid")


class EntryStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    OUT_OF_DATE = "out_of_date", _("Out of date")


class CountryEntry(NamedRow, Versioned):
    """What one source says about one topic in a country (or a region of it), summarised."""

    row_name = "{country} {topic} {pk}"

    country = models.CharField(_("country"), max_length=3)  # ISO 3166-1 alpha-3
    region = models.CharField(_("region"), max_length=10, blank=True)  # ISO 3166-2; blank: the whole country
    topic = ChoiceField(Topic, _("topic"), max_length=25)
    source_title = models.CharField(_("source title"), max_length=300)
    source_publisher = models.CharField(_("publisher"), max_length=200)
    source_date = models.DateField(_("date of the source"))
    source_link = models.URLField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), max_length=5000)
    reliability = models.TextField(_("reliability note"), max_length=2000)
    status = ChoiceField(EntryStatus, _("status"), max_length=12, default=EntryStatus.CURRENT)
    # The day someone last confirmed the entry still holds (its creation counts); the rulebook's
    # `origin.review_months` after it, the entry is due for review.
    reviewed_on = models.DateField(_("last reviewed"))
    is_sample = models.BooleanField(_("synthetic sample"), default=False)
    content_hash = models.CharField(max_length=64)
    # None: the system (an import from the command line).
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["country", "topic", "-source_date", "pk"]
        verbose_name = _("country information entry")
        verbose_name_plural = _("country information entries")
        indexes = [
            models.Index(fields=["country", "topic", "source_date"], name="origin_entry_country_topic"),
            models.Index(fields=["topic", "country"], name="origin_entry_topic"),
            models.Index(fields=["status", "reviewed_on"], name="origin_entry_review"),
        ]


class SourceFile(models.Model):
    """The source itself, uploaded (a public report, not about a person): kept in the database beside its
    entry, read only when someone opens it."""

    entry = models.OneToOneField(CountryEntry, on_delete=models.CASCADE, related_name="source_file")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Revision(NamedRow):
    """One content of an entry as it was saved (numbered 1, 2...; a review or a change of status alone makes
    none): what a citation of it shows."""

    row_name = "entry {entry_id} revision {number}"

    entry = models.ForeignKey(CountryEntry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    content = models.JSONField()
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="origin_revision_unique"),
        ]


class Citation(NamedRow):
    """An entry cited in a decision: the decision is named by its registered kind and id
    (palermo.origin.citations), and the citation keeps the version and hash it cited."""

    row_name = "entry {entry_id} cited in {decision_kind} {decision_id}"

    decision_kind = models.CharField(max_length=40)
    decision_id = models.PositiveBigIntegerField()
    entry = models.ForeignKey(CountryEntry, on_delete=models.PROTECT, related_name="citations")
    # The revision cited, and its content hash (kept even if revisions were ever pruned).
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="citations")
    content_hash = models.CharField(max_length=64)
    cited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField()

    class Meta:
        ordering = ["decision_kind", "decision_id", "pk"]
        indexes = [models.Index(fields=["decision_kind", "decision_id"], name="origin_citation_decision")]
        constraints = [
            models.UniqueConstraint(
                fields=["decision_kind", "decision_id", "entry"], name="origin_citation_once"
            ),
        ]

    @property
    def changed(self) -> bool:
        """The entry changed after it was cited."""
        return self.entry.content_hash != self.content_hash


class PartnerKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    NRM = "nrm", _("National referral mechanism")
    STATE = "state", _("State agency")
    INTERNATIONAL = "international", _("International organisation (e.g. IOM, UNHCR)")
    LEGAL = "legal", _("Lawyers or legal aid")


class PartnerServiceKind(models.TextChoices):
    """What a partner does for a person who returns or is referred across a border."""

    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment before return")
    RECEPTION = "reception", _("Reception at arrival")
    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income and employment")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psycho-social support")
    EDUCATION = "education", _("Education and training")
    LEGAL = "legal", _("Legal aid")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    FOLLOW_UP = "follow_up", _("Follow-up after return")
    REFERRAL = "referral", _("Transnational referral")


class Partner(Versioned):
    """An organisation in a country (of origin) that the return process and transnational referrals work
    with. Organisation data, never about a person."""

    name = models.CharField(_("name"), max_length=200)
    kind = ChoiceField(PartnerKind, _("kind"), max_length=15)
    country = models.CharField(_("country"), max_length=3)  # ISO 3166-1 alpha-3
    region = models.CharField(_("region"), max_length=10, blank=True)  # ISO 3166-2; blank: nationwide
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # The organisation's own contacts (its office, its switchboard): never a person who returned.
    contact_name = models.CharField(_("contact person or desk"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_sample = models.BooleanField(_("synthetic sample"), default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["country", "name", "pk"]
        verbose_name = _("partner organisation")
        indexes = [models.Index(fields=["country", "is_active", "name"], name="origin_partner_country")]

    def __str__(self) -> str:
        return self.name


class PartnerService(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services")
    service = ChoiceField(PartnerServiceKind, _("service"), max_length=20)

    class Meta:
        ordering = ["service"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "service"], name="origin_partner_service_unique"),
        ]
        indexes = [models.Index(fields=["service", "partner"], name="origin_partner_service")]

    def __str__(self) -> str:
        return self.service


class PartnerLanguage(LanguageEntry):
    """A language (ISO 639-2) the partner works in."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="languages")

    class Meta(LanguageEntry.Meta):
        constraints = [language_once("partner", name="origin_partner_language_unique")]
