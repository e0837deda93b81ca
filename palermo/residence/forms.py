"""Forms of the residence section and application page. They check what the services check (the child's
views, a refusal resting on non-cooperation where the rulebook forbids it) so the person filling them in sees
the reason beside the field; the services check again for the API door. Element ids are prefixed so every
label on the case page points at its own control."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from palermo.core import iso
from palermo.core.decisions import CHILD_VIEWS_FIELDS
from palermo.core.form_ids import PrefixedIds
from palermo.core.forms import (
    ChildViewsFields,
    StyledForm,
    day_field,
    long_text_field,
    optional_choice,
    version_field,
)
from palermo.residence.models import (
    HUMANITARIAN_CRITERIA,
    ApplicationKind,
    Finding,
    Outcome,
    PermanentRoute,
    Permit,
    RefusalGround,
)
from palermo.residence.services.common import AUTHORITY_MAX_LENGTH, TEXT_MAX_LENGTH
from palermo.residence.services.decisions import cooperation_problem

T4_HELP = _("The person's story: only those allowed to read it on this case will see it.")
T2_HELP = _(
    "The legal basis of the decision (identity and legal status, T2): not the person's account, which is "
    "narrative and belongs in the assessment or the appeal."
)


def _text(label: Any, *, required: bool, help_text: Any) -> forms.CharField:
    return long_text_field(label, max_length=TEXT_MAX_LENGTH, required=required, help_text=help_text)


def _narrative(label: Any, *, required: bool) -> forms.CharField:
    return _text(label, required=required, help_text=T4_HELP)


class ResidenceForm(PrefixedIds, StyledForm):
    ids = "id_residence_%s"


def permit_label(permit: Permit) -> str:
    return (
        f"{permit.get_kind_display()}, {date_format(permit.valid_from)} \u2013 {date_format(permit.valid_to)}"
    )


class ApplicationForm(ResidenceForm):
    ids = "id_residence_lodge_%s"
    kind = forms.ChoiceField(label=_("Kind"), choices=ApplicationKind.choices)
    route = optional_choice(
        _("Route to permanent residence"),
        PermanentRoute.choices,
        help_text=_("For permanent residence only."),
    )
    renews = forms.TypedChoiceField(
        label=_("Permit renewed"), coerce=int, required=False, help_text=_("For a renewal only.")
    )
    lodged_on = day_field(_("Lodged on"), required=False, help_text=_("Default: today."))
    authority = forms.CharField(label=_("Authority"), max_length=AUTHORITY_MAX_LENGTH)
    destination_country = forms.ChoiceField(
        label=_("Country of resettlement"),
        required=False,
        help_text=_("For resettlement only. Shown only to those allowed to see where the person is."),
    )

    def __init__(self, *args: Any, permits: list[Permit], with_location: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permits = {permit.pk: permit for permit in permits}
        renews = self.fields["renews"]
        assert isinstance(renews, forms.ChoiceField)  # noqa: S101  (declared above)
        renews.choices = [("", "—"), *[(pk, permit_label(permit)) for pk, permit in self.permits.items()]]
        if with_location:
            country = self.fields["destination_country"]
            assert isinstance(country, forms.ChoiceField)  # noqa: S101
            country.choices = [("", "—"), *iso.country_name_choices()]
        else:
            del self.fields["destination_country"]

    def renewed_permit(self) -> Permit | None:
        return self.permits.get(self.cleaned_data.get("renews") or 0)


class CorrectForm(ResidenceForm):
    ids = "id_residence_correct_%s"
    lodged_on = day_field(_("Lodged on"))
    authority = forms.CharField(label=_("Authority"), max_length=AUTHORITY_MAX_LENGTH)
    version = version_field()


class WithdrawForm(ResidenceForm):
    ids = "id_residence_withdraw_%s"
    version = version_field()


class DecisionForm(ChildViewsFields, ResidenceForm):
    ids = "id_residence_decision_%s"
    child_text_help = T4_HELP
    child_text_max_length = TEXT_MAX_LENGTH
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    refusal_ground = optional_choice(_("Ground of refusal"), RefusalGround.choices)
    reasons = _text(_("Reasons"), required=True, help_text=T2_HELP)
    decided_on = day_field(_("Decided on"), required=False, help_text=_("Default: today."))
    valid_from = day_field(
        _("Permit valid from"), required=False, help_text=_("Default: the day of the decision.")
    )
    valid_to = day_field(
        _("Permit valid to"),
        required=False,
        help_text=_("Default: the shortest validity the rulebook allows."),
    )
    version = version_field()

    def __init__(self, *args: Any, is_child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_child = is_child
        if is_child:
            self.add_child_views_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == Outcome.REFUSED and not cleaned.get("refusal_ground"):
            self.add_error("refusal_ground", _("Give the ground of the refusal."))
        if outcome and "reasons" in cleaned:
            problem = cooperation_problem(outcome, cleaned.get("refusal_ground") or "", cleaned["reasons"])
            if problem is not None:
                field = "refusal_ground" if problem.code == "cooperation_ground" else "reasons"
                self.add_error(field, problem)
        return cleaned

    def child_views(self) -> dict[str, Any]:
        """The child's views as the decision stores them (texts never None); empty on an adult's case."""
        views: dict[str, Any] = {}
        for name in CHILD_VIEWS_FIELDS:
            if name in self.fields:
                value = self.cleaned_data.get(name)
                views[name] = value if name == "child_age_when_heard" else (value or "")
        return views


class AppealForm(ResidenceForm):
    ids = "id_residence_appeal_%s"
    body = forms.CharField(
        label=_("Appeal body (court, tribunal, review board)"), max_length=AUTHORITY_MAX_LENGTH
    )
    lodged_on = day_field(_("Lodged on"), required=False, help_text=_("Default: today."))
    grounds = _narrative(_("Grounds of appeal"), required=False)
    version = version_field()

    def __init__(self, *args: Any, with_narrative: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_narrative:
            del self.fields["grounds"]


def _criterion(index: int) -> forms.ChoiceField:
    return forms.ChoiceField(label=HUMANITARIAN_CRITERIA[index][1], choices=Finding.choices)


class AssessmentForm(ResidenceForm):
    """The paper's criteria for humanitarian grounds, one finding each, in its order."""

    ids = "id_residence_assessment_%s"
    retaliation_risk = _criterion(0)
    prosecution_risk = _criterion(1)
    poor_inclusion_prospects = _criterion(2)
    no_support_services = _criterion(3)
    children_present = _criterion(4)
    refoulement_risk = _criterion(5)
    notes = _narrative(_("Notes on the criteria"), required=False)
    version = version_field(required=False)

    def findings(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _label in HUMANITARIAN_CRITERIA}
