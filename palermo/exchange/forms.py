"""The exchange page's upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency
from palermo.cases.forms_intake import offer_identification_agencies
from palermo.core.forms import StyledForm


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("HTCDS 2.0 file"),
        help_text=_(
            "A CSV file with a header line (UTF-8), or an export of this installation. At most 20 MB. "
            "Every row is imported, or none: one bad row refuses the whole file, and every bad row is listed."
        ),
    )
    identification_agency = forms.ModelChoiceField(
        label=_("Refer the cases to the identification authority"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_identification_agencies(self, "identification_agency")
