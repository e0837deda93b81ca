"""Forms of the origin screens: shape and input only; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.core import iso
from palermo.core.forms import (
    FilterForm,
    RegionField,
    StyledForm,
    day_field,
    language_field,
    long_text_field,
    version_field,
)
from palermo.core.forms_directory import DirectoryForm
from palermo.origin.models import CountryEntry, EntryStatus, Partner, PartnerKind, PartnerServiceKind, Topic
from palermo.origin.services.entries import CONTENT_FIELDS, EntryData, Upload
from palermo.origin.services.partners import SCALARS, PartnerData


def _countries() -> list[tuple[str, str]]:
    return [(code, name) for code, name in iso.country_choices() if code != iso.STATELESS]


def _country_field(*, required: bool) -> forms.ChoiceField:
    # A callable: the names are those of the language of the request that shows the form.
    return forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", "—"), *_countries()], required=required
    )


def _region_field(help_text: Any) -> forms.ChoiceField:
    return RegionField(_("Region"), country="country", blank=_("The whole country"), help_text=help_text)


class EntryForm(StyledForm):
    country = _country_field(required=True)
    region = _region_field(
        _("A region of the country, when what the source says is about that region alone.")
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    source_title = forms.CharField(label=_("Title of the source"), max_length=300)
    source_publisher = forms.CharField(label=_("Publisher"), max_length=200)
    source_date = day_field(_("Date of the source"))
    source_link = forms.CharField(
        label=_("Link to the source"),
        max_length=500,
        required=False,
        help_text=_("A web address (https://...)."),
    )
    source_file = forms.FileField(
        label=_("Source file"),
        required=False,
        help_text=_("PDF, plain text, Word or OpenDocument, at most 10 MB. Replaces the file held, if any."),
    )
    summary = long_text_field(
        _("Summary"), max_length=5000, help_text=_("What the source says, in your words.")
    )
    reliability = long_text_field(
        _("Reliability note"),
        max_length=2000,
        help_text=_("Who the source is, how it knows, whether others confirm it."),
    )

    def entry_data(self) -> EntryData:
        return EntryData(**{name: self.cleaned_data[name] for name in CONTENT_FIELDS})

    def upload(self) -> Upload | None:
        sent = self.cleaned_data.get("source_file")
        return Upload(sent.name or "", sent.read()) if sent else None

    @staticmethod
    def initial_for(entry: CountryEntry) -> dict[str, Any]:
        return {**{name: getattr(entry, name) for name in CONTENT_FIELDS}, "version": entry.version}


class EntryEditForm(EntryForm):
    version = version_field()


class VersionForm(StyledForm):
    version = version_field()


class EntryFilterForm(FilterForm):
    country = _country_field(required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("Any")), *Topic.choices], required=False)
    region = RegionField(_("Region"), country="country", blank=_("Any"))
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *EntryStatus.choices], required=False
    )
    due = forms.BooleanField(label=_("Only entries due for review"), required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("File"), help_text=_("CSV or JSON, UTF-8, at most 5 MB and 5000 entries."))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("By the file name")), ("csv", "CSV"), ("json", "JSON")],
        required=False,
    )


class CiteForm(StyledForm):
    entry = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class UnciteForm(StyledForm):
    citation = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class PartnerForm(DirectoryForm):
    scalars = SCALARS
    comma_lists = {"languages": ("languages", "language")}
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=PartnerKind.choices)
    country = _country_field(required=True)
    region = _region_field(_("Where the organisation works, when it works in one region only."))
    description = long_text_field(_("Description"), max_length=2000, required=False)
    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=PartnerServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = language_field(_("Languages"), multiple=True)
    contact_name = forms.CharField(label=_("Contact person or desk"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    address = forms.CharField(label=_("Office address"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def partner_data(self) -> PartnerData:
        return PartnerData(**self.record_values(), services=list(self.cleaned_data["services"]))

    @classmethod
    def initial_for(cls, partner: Partner) -> dict[str, Any]:
        return {**cls.record_initial(partner), "services": [item.service for item in partner.services.all()]}


class PartnerEditForm(PartnerForm):
    version = version_field()


class PartnerFilterForm(FilterForm):
    country = _country_field(required=False)
    service = forms.ChoiceField(
        label=_("Service"), choices=[("", _("Any")), *PartnerServiceKind.choices], required=False
    )
    language = language_field(_("Language"), blank=_("Any"))
