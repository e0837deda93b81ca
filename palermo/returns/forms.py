"""Forms of the returns area. The case-scoped form base, the narrative and country fields are the children
area's (palermo.children.forms), shared: a return or a relocation is asked the same way on either case."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.cases.child import case_is_child
from palermo.cases.services.intake import identification_agencies
from palermo.children.forms import ChildForm, ChildViewsForm, country_field, narrative
from palermo.children.models import EscortRole
from palermo.core import iso
from palermo.core.forms import StyledForm, day_field, optional_choice
from palermo.origin.models import Partner
from palermo.origin.selectors import partners_for_country
from palermo.returns.models import (
    PackagePurpose,
    PartnerConclusion,
    ResettlementChannel,
    ResettlementGround,
    ResettlementStatus,
    ResettlementStepKind,
)
from palermo.returns.services.packages import PURPOSE_FIELDS

LOCATION_HELP = _("Where the person goes: only those allowed to read locations on this case will see it.")


def optional(label: Any, help_text: Any = None) -> forms.CharField:
    return narrative(label, required=False, **({"help_text": help_text} if help_text else {}))


class VersionForm(ChildForm):
    """A change to a record someone else may have changed meanwhile: the version the form was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnRequestForm(ChildForm):
    ids = "id_return_request_%s"
    country = country_field(required=True, label=_("Country of return"), help_text=LOCATION_HELP)
    requested_on = day_field(_("Asked on"))
    request_language = forms.ChoiceField(
        label=_("Language the person asked in"), choices=lambda: [("", "—"), *iso.language_choices()]
    )
    informed_on = day_field(
        _("Informed of rights and options on"),
        help_text=_(
            "The person was told, in their language, of the risks, the support and the alternatives."
        ),
    )
    request = narrative(_("The person's request, in their own words"))


class PartnerAssessForm(VersionForm):
    ids = "id_return_partner_%s"
    partner = forms.ModelChoiceField(label=_("Receiving partner"), queryset=Partner.objects.none())
    assessed_on = day_field(_("Assessed on"))
    conclusion = forms.ChoiceField(label=_("The partner's conclusion"), choices=PartnerConclusion.choices)
    assessment = narrative(_("The partner's assessment"))

    def __init__(self, *args: Any, target: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        if target is not None:
            field.queryset = partners_for_country(user, target.country)
        field.help_text = _("Partners in the country of return, from the country information directory.")


class ReturnPlanForm(VersionForm):
    """On a child's case the plan also names the accompanying adult (never a police officer)."""

    ids = "id_return_plan_%s"
    travel_on = day_field(_("Travel date"), required=False)
    escort_role = optional_choice(
        _("Accompanying adult's role"),
        [(value, label) for value, label in EscortRole.choices if value != EscortRole.POLICE],
        help_text=_(
            "A child returns accompanied by an adult in charge of the child's care, never a police officer."
        ),
    )
    escort_name = forms.CharField(
        label=_("Accompanying adult's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Identity: shown only to those allowed to read names on this case."),
    )
    travel_plan = optional(_("Travel plan"), LOCATION_HELP)
    reception = optional(_("Reception at arrival"), LOCATION_HELP)
    housing = optional(_("Housing"))
    income = optional(_("Income"))
    medical = optional(_("Medical care"))
    education = optional(_("Education"))
    legal = optional(_("Legal support"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not case_is_child(self.case):
            del self.fields["escort_role"], self.fields["escort_name"]


class ReturnViewsForm(ChildViewsForm):
    """A child's return: the child's views on it and the guardian's view, either first (what is left blank
    stays as it was; the service checks what is given, the refusal to clear says what is still missing)."""

    ids = "id_return_views_%s"
    is_child = False  # the views may come after the guardian's: the service checks what is given
    guardian_view = narrative(
        _("The guardian's view on the return"),
        required=False,
        help_text=_("Until a guardian is appointed, the temporary representative's view."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnClearForm(VersionForm):
    ids = "id_return_clear_%s"


def dated_step(name: str, slug: str, date: str, label: Any) -> type[VersionForm]:
    """The form of a step of a return recorded with its date (the field named `date`), at the version read;
    its element ids are prefixed with `slug`."""
    fields = {"__module__": __name__, "ids": f"id_{slug}_%s", date: day_field(label)}
    return cast(type[VersionForm], type(name, (VersionForm,), fields))  # built by the forms' metaclass


ReturnArrivedForm = dated_step("ReturnArrivedForm", "return_arrived", "returned_on", _("Arrived on"))
ReturnWithdrawForm = dated_step("ReturnWithdrawForm", "return_withdraw", "withdrawn_on", _("Withdrawn on"))
ReturnCloseForm = dated_step("ReturnCloseForm", "return_close", "closed_on", _("Closed on"))


class ReturnFollowUpForm(ChildForm):
    ids = "id_return_followup_%s"
    contacted_on = day_field(_("Contacted on"))
    situation = narrative(_("The person's situation"))


class ResettlementStartForm(ChildForm):
    ids = "id_resettlement_%s"
    ground = forms.ChoiceField(label=_("Grounds"), choices=ResettlementGround.choices)
    grounds = narrative(_("The grounds in detail"))
    receiving_country = country_field(required=True, label=_("Receiving State"), help_text=LOCATION_HELP)
    channel = forms.ChoiceField(label=_("Programme"), choices=ResettlementChannel.choices)
    programme = forms.CharField(label=_("Programme name or reference"), max_length=200, required=False)
    started_on = day_field(_("Started on"))


class ResettlementStepForm(ChildForm):
    ids = "id_resettlement_step_%s"
    kind = forms.ChoiceField(label=_("Step"), choices=ResettlementStepKind.choices)
    on = day_field(_("Date"))
    note = optional(_("Note"))


class ResettlementMoveForm(VersionForm):
    ids = "id_resettlement_move_%s"
    status = forms.ChoiceField(
        label=_("Stage or outcome"),
        choices=[(s.value, s.label) for s in ResettlementStatus if s != ResettlementStatus.PREPARING],
    )
    on = day_field(_("Date"))


def purpose_help() -> str:
    return " ".join(
        f"{PackagePurpose(purpose).label}: {', '.join(fields)}." for purpose, fields in PURPOSE_FIELDS.items()
    )


class PackageSendForm(ChildForm):
    ids = "id_package_%s"
    partner = forms.ModelChoiceField(label=_("Partner abroad"), queryset=Partner.objects.none())
    purpose = forms.ChoiceField(label=_("What the package is for"), choices=PackagePurpose.choices)
    checked = forms.BooleanField(
        label=_("I have checked that the person consented to this transfer and that only these fields go."),
    )

    def __init__(self, *args: Any, countries: list[str] | None = None, **kwargs: Any) -> None:
        from palermo.returns.selectors import partners_with_keys

        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        field.queryset = partners_with_keys(countries or [])
        field.help_text = _("Partners with registered keys in a country the person consented to transfer to.")
        self.fields["purpose"].help_text = _("The HTCDS fields sent: %(fields)s") % {"fields": purpose_help()}


# --- received packages and partner keys ----------


class PackageSendAgainForm(ChildForm):
    ids = "id_package_again_%s"
    confirmed = forms.BooleanField(
        label=_("Send this package again to the partner's inbox"),
        help_text=_(
            "It goes as it was sealed, if the person's consent it was sent under still counts. The partner "
            "keeps a package it already has only once."
        ),
        error_messages={"required": _("Confirm that the package is to be sent again.")},
    )


class PackageReceiveForm(StyledForm):
    token = forms.CharField(
        label=_("The package"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("Paste the package (a JOSE token of five parts separated by dots), or choose its file."),
        max_length=200_000,
    )
    upload = forms.FileField(label=_("Or the package file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 200_000:
                self.add_error("upload", _("This file is too large to be a package."))
                return data
            data["token"] = upload.read().decode("ascii", errors="replace")
        if not (data.get("token") or "").strip():
            self.add_error("token", _("Paste the package or choose its file."))
        return data


class PackageAcceptForm(StyledForm):
    identification_agency = forms.ModelChoiceField(
        label=_("Identification authority to refer to"), queryset=Agency.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["identification_agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        field.queryset = identification_agencies()


class PartnerKeyForm(StyledForm):
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.filter(is_active=True).order_by("country", "name")
    )
    public_keys = forms.CharField(
        label=_("The partner's public keys (JWK set)"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        max_length=20_000,
    )
    fingerprint = forms.CharField(
        label=_("Fingerprint, as the partner read it to you"),
        max_length=100,
        help_text=_(
            "Ask the partner for the fingerprint by telephone or in person, never from the same message as "
            "the keys, and type it here: 16 groups of four letters and digits."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    inbox_url = forms.CharField(
        label=_("The partner's inbox address (optional)"),
        max_length=500,
        required=False,
        help_text=_(
            "The web address, starting with https://, where the partner takes packages. With it, packages "
            "are sent there and their delivery shown; without it, they are downloaded and handed over."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}),
    )
    receiving_agency = forms.ModelChoiceField(
        label=_("Agency here that receives this partner's packages (optional)"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_(
            "Packages the partner sends to this system's inbox wait for a decision in this agency's list of "
            "packages from abroad. Without one, they are refused there."
        ),
    )
