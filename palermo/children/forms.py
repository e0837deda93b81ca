"""Forms of the children section. Each decision form carries the child's views and checks them in `clean()`
(`child_views_problems`); the services check again, so the API door cannot skip them. Element ids are prefixed
per form so every label on the case page points at its own control."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, Membership
from palermo.cases.models import Case
from palermo.children.models import (
    Answer,
    BestInterestKind,
    CareQuality,
    CareType,
    ChildStatusOutcome,
    ContactMode,
    DecidingBody,
    EscortRole,
    FamilyAssessment,
    GuardianshipEnd,
    RiskConclusion,
    SolutionKind,
    TracingRequest,
    TracingStatus,
)
from palermo.children.services.best_interest import PARTICIPANT_ROLES
from palermo.children.services.common import MAX_TEXT
from palermo.children.services.guardianship import guardian_candidates
from palermo.core import iso
from palermo.core.form_ids import PrefixedIds
from palermo.core.forms import ChildViewsFields, StyledForm, day_field, long_text_field, optional_choice

T4_HELP = _("The person's story: only those allowed to read it on this case will see it.")


def narrative(label: Any, *, required: bool = True, help_text: Any = T4_HELP) -> forms.CharField:
    return long_text_field(label, max_length=MAX_TEXT, required=required, help_text=help_text)


def country_field(required: bool = False, *, label: Any = None, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("Country"),
        choices=lambda: [("", "—"), *iso.country_name_choices()],
        required=required,
        help_text=help_text,
    )


def active_agencies() -> Any:
    return Agency.objects.filter(is_active=True).order_by("name")


class ChildForm(PrefixedIds, StyledForm):
    """A form on one child's case: ids prefixed with its name, the case at hand for choices and checks."""

    ids = "id_child_%s"

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def choose_from_case(self, name: str, model: type[models.Model], label: Callable[[Any], str]) -> None:
        """The choices of field `name`: the case's own records of `model`, each shown by `label`."""
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = model._default_manager.filter(case=self.case)
        field.label_from_instance = label  # type: ignore[method-assign,assignment]


class ChildViewsForm(ChildViewsFields, ChildForm):
    """A decision's form: the child's views, or why the child was not heard, age and interpreter."""

    child_text_help = T4_HELP
    child_text_max_length = MAX_TEXT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_child_views_fields()


def guardian_label(membership: Membership) -> str:
    return f"{membership.user.display_name} · {membership.agency.name}"


class GuardianAppointForm(ChildForm):
    ids = "id_guardian_%s"
    guardian = forms.ModelChoiceField(label=_("Guardian"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["guardian"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (declared just above)
        field.queryset = Membership.objects.filter(
            pk__in=[m.pk for m in guardian_candidates()]
        ).select_related("user", "agency")
        field.label_from_instance = guardian_label  # type: ignore[method-assign,assignment]


class RepresentativeForm(ChildForm):
    """Who acts for the child until a guardian is appointed."""

    ids = "id_representative_%s"
    name = forms.CharField(
        label=_("Name of the temporary representative"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Identity: shown only to those allowed to read names on this case."),
    )
    organisation = forms.CharField(label=_("Organisation they act for"), max_length=200)
    since = day_field(_("Acting since"))


class RepresentativeEndForm(ChildForm):
    ids = "id_representative_end_%s"


class GuardianEndForm(ChildForm):
    ids = "id_guardian_end_%s"
    reason = forms.ChoiceField(label=_("Why it ends"), choices=GuardianshipEnd.choices)


class BestInterestForm(ChildViewsForm):
    ids = "id_bip_%s"
    kind = forms.ChoiceField(label=_("Kind"), choices=BestInterestKind.choices)
    decided_on = day_field(_("Date"))
    participant_roles = forms.MultipleChoiceField(
        label=_("Roles that took part"),
        choices=[(role.value, role.label) for role in PARTICIPANT_ROLES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A determination is multidisciplinary: at least two roles."),
    )
    participant_agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies that took part"), queryset=active_agencies(), required=False
    )
    information_considered = narrative(_("Information considered"))
    options_considered = narrative(_("Options weighed"))
    decision = narrative(_("The decision"))
    reasons = narrative(_("Reasons"))
    recommends = optional_choice(
        _("What the determination recommends"),
        SolutionKind.choices,
        help_text=_(
            "A determination only: a child's return goes ahead only if the latest one recommends it."
        ),
    )


class TracingRequestForm(ChildForm):
    ids = "id_tracing_%s"
    requested_on = day_field(_("Requested on"))
    country = country_field()
    tracing_agency = forms.ModelChoiceField(
        label=_("Tracing agency"), queryset=active_agencies(), required=False
    )
    details = narrative(_("Who is sought"))


class TracingResultForm(ChildForm):
    ids = "id_tracing_result_%s"
    status = forms.ChoiceField(
        label=_("Result"), choices=[c for c in TracingStatus.choices if c[0] != TracingStatus.OPEN]
    )
    result_on = day_field(_("Result on"))
    result = narrative(
        _("What was found"), help_text=_("Where the person is, and their story: shown only to those allowed.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FamilyContactForm(ChildForm):
    ids = "id_contact_%s"
    contacted_on = day_field(_("Contacted on"))
    mode = forms.ChoiceField(label=_("How"), choices=ContactMode.choices)
    tracing = forms.ModelChoiceField(
        label=_("Tracing request"), queryset=TracingRequest.objects.none(), required=False
    )
    summary = narrative(_("Summary"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose_from_case(
            "tracing", TracingRequest, lambda t: f"{t.requested_on:%Y-%m-%d} · {t.get_status_display()}"
        )


class FamilyAssessmentForm(ChildForm):
    ids = "id_family_%s"
    assessed_on = day_field(_("Assessed on"))
    able = forms.ChoiceField(label=_("Is the family able to receive the child?"), choices=Answer.choices)
    willing = forms.ChoiceField(
        label=_("Is the family willing to receive the child?"), choices=Answer.choices
    )
    family_involved = forms.ChoiceField(
        label=_("Was the family involved in the trafficking?"), choices=Answer.choices
    )
    summary = narrative(_("Assessment"))


class CareForm(ChildViewsForm):
    ids = "id_care_%s"
    type = forms.ChoiceField(
        label=_("Type of care"),
        choices=CareType.choices,
        help_text=_("Family-type and community care are preferred to residential care."),
    )
    starts_on = day_field(_("Starts"))
    provider = forms.ModelChoiceField(label=_("Care provider"), queryset=active_agencies(), required=False)
    residential_reason = narrative(_("Why residential care"), required=False)
    reasons = narrative(_("Reasons"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("type") == CareType.RESIDENTIAL
            and not (cleaned.get("residential_reason") or "").strip()
        ):
            self.add_error(
                "residential_reason",
                _("Family-type and community care come first: say why residential care."),
            )
        return cleaned


class CareReviewForm(ChildForm):
    ids = "id_care_review_%s"
    reviewed_on = day_field(_("Reviewed on"))
    quality = forms.ChoiceField(label=_("Outcome"), choices=CareQuality.choices)
    findings = narrative(_("Findings"))


class LegalStatusForm(ChildViewsForm):
    ids = "id_status_%s"
    body = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    body_name = forms.CharField(label=_("Court or authority"), max_length=200)
    decided_on = day_field(_("Decided on"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ChildStatusOutcome.choices)
    legal_representative = forms.CharField(label=_("The child's legal representative"), max_length=200)
    reasons = narrative(_("Reasons"))


class SolutionForm(ChildViewsForm):
    ids = "id_solution_%s"
    kind = forms.ChoiceField(
        label=_("Durable solution"),
        choices=[c for c in SolutionKind.choices if c[0] != SolutionKind.RETURN],
        help_text=_(
            "A return is prepared and recorded in the return section, with the child's rules on top."
        ),
    )
    country = country_field()
    decided_on = day_field(_("Decided on"))
    reasons = narrative(_("Reasons"))
    risk_assessed_on = day_field(_("Risk assessed on"), required=False)
    risk_conclusion = optional_choice(_("Risk assessment"), RiskConclusion.choices)
    risk_summary = narrative(_("Risk assessment summary"), required=False)
    family_assessment = forms.ModelChoiceField(
        label=_("Family assessment"), queryset=FamilyAssessment.objects.none(), required=False
    )
    escort_role = optional_choice(
        _("Accompanying adult (return)"),
        EscortRole.choices,
        help_text=_("An adult in charge of the child's care; never a police officer."),
    )
    escort_name = forms.CharField(label=_("Accompanying adult's name"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose_from_case("family_assessment", FamilyAssessment, lambda a: f"{a.assessed_on:%Y-%m-%d}")


class ReturnForm(ChildForm):
    ids = "id_return_%s"
    returned_on = day_field(_("The child returned on"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FollowUpForm(ChildForm):
    ids = "id_followup_%s"
    contacted_on = day_field(_("Contacted on"))
    wellbeing = narrative(_("The child's situation"))
