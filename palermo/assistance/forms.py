"""Forms of the assistance screens. Validation that needs the database or the policy stays in the services;
these check shape and turn input into service arguments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.assistance.models import DeclineReason, PersonChoice, PlacementEnd, ProviderService, ServiceKind
from palermo.assistance.services.directory import SCALARS, ServiceData
from palermo.assistance.services.plans import MAX_TEXT
from palermo.assistance.services.referrals import MAX_TEXT as MAX_REFERRAL_TEXT
from palermo.core.form_ids import PrefixedIds
from palermo.core.forms import (
    DateInput,
    DateTimeInput,
    FilterForm,
    StyledForm,
    checkboxes,
    language_field,
    long_text_field,
    version_field,
)
from palermo.core.forms_directory import DirectoryForm


class StaffChoiceField(forms.ModelChoiceField):
    """A person on the case team, by name."""

    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet[Any] | None) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared by the form)
    if queryset is not None:
        field.queryset = queryset


class AssessmentForm(PrefixedIds, StyledForm):
    ids = "id_assess_%s"
    needs = checkboxes(_("Services needed"), ServiceKind.choices, required=True)
    urgent = checkboxes(_("Urgent"), ServiceKind.choices)
    summary = long_text_field(_("Summary of the assessment"), required=False, max_length=MAX_TEXT)


class PlanForm(PrefixedIds, StyledForm):
    ids = "id_plan_%s"
    goals = long_text_field(_("Goals"), max_length=MAX_TEXT)
    actions = long_text_field(_("Actions"), required=False, max_length=MAX_TEXT)
    person_view = long_text_field(
        _("The person's own view of the plan"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("In the person's words, as they want it recorded."),
    )
    review_on = forms.DateField(label=_("Next review"), widget=DateInput)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput, required=False)
    responsible = StaffChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False, help_text=_("Default: you.")
    )

    def __init__(self, *args: Any, staff: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "responsible", staff)


class PlanCreateForm(PlanForm):
    services = checkboxes(_("Services in the plan"), ServiceKind.choices)


class PlanEditForm(PlanForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlanServiceForm(PrefixedIds, StyledForm):
    ids = "id_plan_service_%s"
    kind = forms.ChoiceField(label=_("Add a service to the plan"), choices=ServiceKind.choices)
    responsible = StaffChoiceField(label=_("Responsible"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, staff: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "responsible", staff)


class ChoiceForm(StyledForm):
    choice = forms.ChoiceField(
        choices=[
            (PersonChoice.AGREED, PersonChoice.AGREED.label),
            (PersonChoice.REFUSED, PersonChoice.REFUSED.label),
        ]
    )


class ServiceChoiceField(forms.ModelChoiceField):
    """A directory service named with its kind and provider."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}: {obj.name} ({obj.agency.name})"


class AccommodationChoiceField(forms.ModelChoiceField):
    """An accommodation named with its provider and free places (the directory selector counts them)."""

    def label_from_instance(self, obj: Any) -> str:
        return _("%(accommodation)s (%(provider)s): %(count)d free") % {
            "accommodation": obj.name,
            "provider": obj.agency.name,
            "count": obj.free_places,
        }


class ReferralForm(PrefixedIds, StyledForm):
    ids = "id_referral_%s"
    service = ServiceChoiceField(label=_("Service"), queryset=ProviderService.objects.none())
    specific_needs = long_text_field(
        _("Specific needs the provider must know"),
        rows=2,
        required=False,
        max_length=MAX_REFERRAL_TEXT,
        help_text=_("Only what this service needs to receive the person; never their story."),
    )

    def __init__(
        self, *args: Any, services: QuerySet[ProviderService], narrative: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        field.queryset = services
        if not narrative:
            del self.fields["specific_needs"]


class VersionForm(StyledForm):
    """The version of the record the person read, sent back with a change so a stale one is refused."""

    version = version_field()


class FeedbackForm(VersionForm):
    rating = forms.TypedChoiceField(
        label=_("The person's rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)]
    )
    note = long_text_field(_("The person's feedback"), rows=2, required=False, max_length=MAX_REFERRAL_TEXT)

    def __init__(self, *args: Any, referral_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_feedback_{referral_id}_%s")  # one form per ended referral
        super().__init__(*args, **kwargs)
        self.referral_id = referral_id


class PlacementForm(PrefixedIds, StyledForm):
    ids = "id_placement_%s"
    service = AccommodationChoiceField(label=_("Safe accommodation"), queryset=ProviderService.objects.none())
    address = long_text_field(_("Address"), rows=2, required=False, max_length=1000)

    def __init__(self, *args: Any, services: QuerySet[ProviderService], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        field.queryset = services


class PlacementEndForm(VersionForm):
    reason = forms.ChoiceField(label=_("Why the stay ended"), choices=PlacementEnd.choices)

    def __init__(self, *args: Any, placement_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_end_{placement_id}_%s")  # one form per stay in progress
        super().__init__(*args, **kwargs)
        self.placement_id = placement_id


# --- the provider's forms ---


def _answer_note() -> forms.CharField:
    """The provider's note with an answer to a referral (optional)."""
    return long_text_field(_("Note"), rows=2, required=False, max_length=MAX_REFERRAL_TEXT)


class AcceptForm(VersionForm):
    appointment_at = forms.DateTimeField(label=_("Appointment"), widget=DateTimeInput, required=False)
    note = _answer_note()


class DeclineForm(PrefixedIds, VersionForm):
    ids = "id_decline_%s"
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = _answer_note()


class CompleteForm(VersionForm):
    service_given = long_text_field(_("Service given"), max_length=MAX_REFERRAL_TEXT)


class CloseForm(PrefixedIds, VersionForm):
    ids = "id_close_%s"
    note = long_text_field(
        _("Why the referral ends without the service"), rows=2, max_length=MAX_REFERRAL_TEXT
    )


# --- the directory ---


class ServiceForm(DirectoryForm):
    scalars = SCALARS
    comma_lists = {"languages": ("languages", "language"), "regions": ("regions", "region")}
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = long_text_field(_("Description"), required=False, max_length=2000)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("A phone line or opening hours; never a safe house's address."),
    )
    languages = language_field(_("Languages"), multiple=True)
    regions = forms.CharField(label=_("Regions"), required=False, help_text=_("Separated by commas."))
    serves_women = forms.BooleanField(label=_("Serves women"), required=False, initial=True)
    serves_men = forms.BooleanField(label=_("Serves men"), required=False, initial=True)
    serves_other_genders = forms.BooleanField(
        label=_("Serves transgender and non-conforming persons"), required=False, initial=True
    )
    serves_adults = forms.BooleanField(label=_("Serves adults"), required=False, initial=True)
    serves_children = forms.BooleanField(label=_("Serves children"), required=False)
    capacity = forms.IntegerField(
        label=_("Places (safe accommodation)"), required=False, min_value=0, max_value=100000
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def data_for_service(self) -> ServiceData:
        return ServiceData(**self.record_values())

    @classmethod
    def initial_for(cls, service: ProviderService) -> dict[str, Any]:
        return cls.record_initial(service)


class ServiceEditForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DirectoryFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Service"), choices=[("", _("Any")), *ServiceKind.choices], required=False
    )
    language = language_field(_("Language"), blank=_("Any"))
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
