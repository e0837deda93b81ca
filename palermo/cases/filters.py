"""Case search filters, shared by the search screen and the API. Every filter answers from an index:

- reference: the unique index on Case.reference (exact match, case-insensitive by normalising the input);
- status, phase, lead agency, child's case: their own indexes (and the composite list indexes);
- form of exploitation: the (form, case) index of CaseExploitation;
- name (+ birth date): the blind indexes on Person (HMAC of the normalised value; nothing is decrypted).

There is no deadline filter: the case record has no deadline yet (deadlines arrive with the residence and
identification decisions, which will add their own filter here).
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.cases.models import Case, CaseExploitation, Phase
from palermo.cases.reference import CaseStatus, ExploitationForm
from palermo.cases.selectors import cases_matching_person
from palermo.core.forms import StyledFormMixin


class CaseSearchForm(StyledFormMixin, forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_date") and not data.get("name"):
            self.add_error("birth_date", _("A birth date narrows a search by name; give the name too."))
        return data


class CaseFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(
        method="filter_reference",
        label=_("Case reference"),
        widget=forms.TextInput(attrs={"placeholder": "NRM-XXXX-XXXX", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    phase = django_filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    agency = django_filters.ModelChoiceFilter(
        field_name="lead_agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        label=_("Lead agency"),
    )
    exploitation = django_filters.ChoiceFilter(
        choices=ExploitationForm.choices, method="filter_exploitation", label=_("Form of exploitation")
    )
    child = django_filters.ChoiceFilter(
        choices=[("yes", _("Child")), ("no", _("Adult"))],
        method="filter_child",
        empty_label=_("Either"),
        label=_("Child or adult"),
    )
    name = django_filters.CharFilter(
        method="filter_name",
        label=_("Name"),
        help_text=_("The full name, in any script or in Latin letters; matched exactly, in any word order."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = django_filters.DateFilter(
        method="filter_birth_date",
        label=_("Date of birth"),
        help_text=_("With a name only."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Case
        fields = ["reference", "status", "phase", "agency", "exploitation", "child", "name", "birth_date"]
        form = CaseSearchForm

    def filter_reference(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(reference=value.strip().upper())

    def filter_exploitation(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(pk__in=CaseExploitation.objects.filter(form=value).values("case_id"))

    def filter_child(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(is_child=value == "yes")

    def filter_name(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        birth_date: datetime.date | None = self.form.cleaned_data.get("birth_date")
        matching = cases_matching_person(
            name=value, birth_date=birth_date.isoformat() if birth_date else None
        )
        return queryset.filter(pk__in=matching.values("pk"))

    def filter_birth_date(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset  # applied together with the name (see filter_name)

    @property
    def searches_by_name(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.form.cleaned_data.get("name"))
