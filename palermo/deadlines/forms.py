"""The filters of the "due and overdue" screen: whose deadlines, and which kind."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from palermo.core.form_ids import PrefixedIds
from palermo.core.forms import FilterForm
from palermo.deadlines.kinds import registered_kinds
from palermo.deadlines.selectors import Scope


def kind_choices() -> list[tuple[str, Any]]:
    """Every registered kind, by label; read when the form is built, as areas register at start-up."""
    kinds = sorted(registered_kinds(), key=lambda kind: str(kind.label))
    return [("", _("Any kind")), *((kind.key, kind.label) for kind in kinds)]


class Grouping(TextChoices):
    URGENCY = "urgency", _("How urgent")
    CASE = "case", _("Case")
    KIND = "kind", _("Kind of deadline")


class DueFilterForm(PrefixedIds, FilterForm):
    ids = "id_due_%s"
    scope = forms.ChoiceField(label=_("Whose"), choices=Scope.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    group = forms.ChoiceField(label=_("Group by"), choices=Grouping.choices, required=False)
    # A case reference (T1, never personal data): the rows of one case, as "group by case" links to them.
    case = forms.CharField(label=_("Case reference"), required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)  # noqa: S101  (declared just above)
        kind_field.choices = kind_choices()

    def filters(self) -> dict[str, str]:
        """The valid filters, defaults for the rest (an invalid value shows its error and filters nothing)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "scope": data.get("scope") or Scope.MINE,
            "kind": data.get("kind") or "",
            "reference": (data.get("case") or "").strip().upper(),
        }

    def grouping(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("group") or Grouping.URGENCY
