"""The DPO's filters, shared by the screen and the API: case reference, user, action, time range."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.core.forms import DateInput, FilterForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the active time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_filter(method: str, label: StrOrPromise) -> django_filters.DateFilter:
    """A day chosen with the browser's date picker, applied by the filter's `method`."""
    return django_filters.DateFilter(
        method=method, label=label, widget=DateInput(attrs={"class": "form-control"})
    )


class AuditEventFilter(django_filters.FilterSet):
    case = django_filters.CharFilter(
        field_name="case__reference",
        lookup_expr="iexact",
        label=_("Case reference"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "NRM-XXXX-XXXX"}),
    )
    user = django_filters.CharFilter(
        method="filter_user",
        label=_("User (username)"),
        help_text=_("What the user did, and what was done to their account."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    action = django_filters.CharFilter(
        field_name="action",
        lookup_expr="startswith",
        label=_("Action"),
        help_text=_("An action such as case.read, or its beginning: case. for every case action."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    since = _day_filter("filter_since", _("From (date)"))
    until = _day_filter("filter_until", _("To (date, inclusive)"))

    class Meta:
        model = AuditEvent
        form = FilterForm
        fields = ["case", "user", "action", "since", "until"]

    def filter_user(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        account = User.objects.filter(username=value).annotate(key=Cast("pk", output_field=CharField()))
        return queryset.filter(
            Q(actor__username=value) | Q(object_type="user", object_id__in=account.values("key"))
        )

    def filter_since(self, queryset: QuerySet[AuditEvent], name: str, value: date) -> QuerySet[AuditEvent]:
        return queryset.filter(time__gte=_day_start(value))

    def filter_until(self, queryset: QuerySet[AuditEvent], name: str, value: date) -> QuerySet[AuditEvent]:
        return queryset.filter(time__lt=_day_start(value + timedelta(days=1)))

    def describe(self) -> str:
        """The filters applied, for the audit record of an export: references and ids, never a name."""
        data = self.form.cleaned_data
        parts = [f"{key}={data[key]}" for key in ("case", "action", "since", "until") if data.get(key)]
        if data.get("user"):
            account = User.objects.filter(username=data["user"]).values_list("pk", flat=True).first()
            parts.append(f"user_id={account if account is not None else 'none'}")
        return "filters: " + (", ".join(parts) or "none")
