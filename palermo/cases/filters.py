"""Case search filters, shared by the search screen and the API. Every filter answers from an index:

- reference: the unique index on Case.reference (exact match, case-insensitive by normalising the input);
- status, phase, lead agency, child's case: their own indexes (and the composite list indexes);
- form of exploitation: the (form, case) index of CaseExploitation;
- name (+ birth date): the blind indexes on Person (HMAC of the normalised value; nothing is decrypted);
- deadline (overdue / due within 7 days) and deadline kind: the open-deadline indexes of
  palermo.deadlines (`deadline_open_due`: done_at, due_at; `deadline_kind_open`: kind, done_at, due_at).
  A case matches when one of its *open* deadlines does; with both, the same deadline must match both.
  Days are calendar days in the deployment's time zone, as on the "due and overdue" screen.

The person's identity (name, birth date) is T2: it travels only in a request body, never in a URL (browser
history, proxy and server logs keep URLs). `CaseMetadataFilter` holds the criteria a URL may carry;
`CaseFilter` adds the identity, for the POSTed searches.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from palermo.access.selectors import cases_readable_at
from palermo.access.tiers import Tier
from palermo.accounts.models import Agency, Membership
from palermo.cases.models import Case, CaseExploitation, Phase
from palermo.cases.reference import CaseStatus, ExploitationForm
from palermo.cases.selectors import cases_matching_person, recorded_as_name_search
from palermo.core.forms import DateInput, FilterForm

if TYPE_CHECKING:
    from palermo.cases.worklist import NextDeadlines

# The search by open deadline, and the lists' next deadline (palermo.cases.worklist). Deadlines sit above
# cases (docs/decisions/0011): palermo.deadlines provides these from its AppConfig.ready(); without it the
# case search offers no deadline kind and matches no deadline, and the lists show none.
OVERDUE, DUE_SOON = "overdue", "due_soon"


@dataclass(frozen=True)
class DeadlineSearch:
    kinds: Callable[[], Iterable[tuple[str, Any]]]  # (key, label) of each kind the installed areas registered
    # The ids of open cases with an open deadline that is overdue or due soon (`due`; "" for any) of `kind`
    # ("" for any), as a subquery.
    case_ids: Callable[[str, str], QuerySet[Any]]
    next_deadlines: NextDeadlines  # each listed case's soonest open deadline the reader may see
    # Its due time as an expression on the listed case (a correlated subquery), to order a list by it.
    soonest_due: Callable[[Membership], Any]


_DEADLINE_SEARCH: list[DeadlineSearch] = []


def provide_deadline_search(search: DeadlineSearch) -> None:
    _DEADLINE_SEARCH[:] = [search]


def provided_deadline_search() -> DeadlineSearch | None:
    return _DEADLINE_SEARCH[0] if _DEADLINE_SEARCH else None


def deadline_kind_choices() -> list[tuple[str, Any]]:
    """The kinds the installed areas registered (read when the form is built: they register at ready())."""
    kinds = _DEADLINE_SEARCH[0].kinds() if _DEADLINE_SEARCH else ()
    return sorted(kinds, key=lambda pair: str(pair[1]))


def _cases_with_open_deadline(due: str, kind: str) -> QuerySet[Any]:
    if not _DEADLINE_SEARCH:
        return Case.objects.none().values("pk")
    return _DEADLINE_SEARCH[0].case_ids(due, kind)


class CaseSearchForm(FilterForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_date") and not data.get("name"):
            self.add_error("birth_date", _("A birth date narrows a search by name; give the name too."))
        return data


DEADLINE_CHOICES = [(OVERDUE, _("Overdue")), (DUE_SOON, _("Due within 7 days"))]
CHILD_CHOICES = [("yes", _("Child")), ("no", _("Adult"))]
# The criteria that identify a person: never read from a URL.
IDENTITY_CRITERIA = ("name", "birth_date")


def carries_identity(params: QueryDict) -> bool:
    """Whether a query string holds a name or a birth date. Empty ones hold nothing: the search form used
    to send every field, so bookmarks of searches without a name keep working."""
    return any(value.strip() for key in IDENTITY_CRITERIA for value in params.getlist(key))


def _deadline_filter(choices: Any, method: str, label: Any, help_text: Any) -> django_filters.ChoiceFilter:
    """A criterion on the case's open deadlines, by `method` of the filter set; none chosen: any."""
    return django_filters.ChoiceFilter(
        choices=choices, method=method, empty_label=_("Any"), label=label, help_text=help_text
    )


class CaseMetadataFilter(django_filters.FilterSet):
    """The criteria on a case's T1 metadata: what a bookmarkable URL and the API's case list may carry."""

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
        choices=CHILD_CHOICES,
        method="filter_child",
        empty_label=_("Either"),
        label=_("Child or adult"),
    )
    deadline = _deadline_filter(
        DEADLINE_CHOICES,
        "filter_deadline",
        _("Deadline"),
        _("Cases with an open deadline that is overdue or due within 7 days."),
    )
    deadline_kind = _deadline_filter(
        deadline_kind_choices,
        "filter_deadline_kind",
        _("Kind of deadline"),
        _("Cases with an open deadline of this kind."),
    )

    class Meta:
        model = Case
        fields = [
            "reference",
            "status",
            "phase",
            "agency",
            "exploitation",
            "deadline",
            "deadline_kind",
            "child",
        ]
        form = CaseSearchForm

    def filter_reference(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(reference=value.strip().upper())

    def filter_exploitation(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(pk__in=CaseExploitation.objects.filter(form=value).values("case_id"))

    def filter_child(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(is_child=value == "yes")

    def filter_deadline(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        kind = self.form.cleaned_data.get("deadline_kind") or ""
        return queryset.filter(pk__in=_cases_with_open_deadline(value, kind))

    def filter_deadline_kind(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if self.form.cleaned_data.get("deadline"):
            return queryset  # applied together with the status (see filter_deadline)
        return queryset.filter(pk__in=_cases_with_open_deadline("", value))


class CaseFacetFilter(CaseMetadataFilter):
    """The worklists' filters (the due list, the decisions due, and their API): the form of exploitation,
    the lead agency and child or adult, as the case search has them. Each value is a code (a form, an
    agency id, yes/no), never personal data, and each answers from its own index on the case."""

    FACETS = ("exploitation", "agency", "child")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [name for name in self.filters if name not in self.FACETS]:
            del self.filters[name]

    def case_ids(self) -> QuerySet[Any] | None:
        """The ids of the cases the valid facets allow, as a subquery; None when no facet is set."""
        data = self.form.cleaned_data if self.is_valid() else {}
        if not any(data.get(name) for name in self.FACETS):
            return None
        return self.filter_queryset(Case.objects.all()).values("pk")


class CaseFilter(CaseMetadataFilter):
    """Every criterion, the person's name and birth date included (through the blind indexes): for searches
    sent in a request body."""

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
        widget=DateInput,
    )

    class Meta(CaseMetadataFilter.Meta):
        fields = [*CaseMetadataFilter.Meta.fields, *IDENTITY_CRITERIA]

    def __init__(self, *args: Any, searcher: Membership | None = None, **kwargs: Any) -> None:
        """`searcher`: the acting membership. A name matches only inside the cases whose identity (T2) it may
        read: a case seen at T1 only would otherwise tell who it is about. Without a searcher a name matches
        nothing. The cases a name found are recorded as that search when they are read
        (`recorded_as_name_search`)."""
        super().__init__(*args, **kwargs)
        self.searcher = searcher

    def filter_name(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if self.searcher is None:
            return queryset.none()
        birth_date: datetime.date | None = self.form.cleaned_data.get("birth_date")
        matching = cases_matching_person(
            name=value, birth_date=birth_date.isoformat() if birth_date else None
        )
        readable = cases_readable_at(self.searcher, Tier.IDENTITY)
        found = queryset.filter(pk__in=matching.values("pk")).filter(pk__in=readable.values("pk"))
        return recorded_as_name_search(found, searcher=self.searcher)

    def filter_birth_date(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset  # applied together with the name (see filter_name)

    @property
    def searches_by_name(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.form.cleaned_data.get("name"))
