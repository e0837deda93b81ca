"""The person's subject access export (GDPR art. 15): every value the case's records hold about them, in
their language, as JSON and as a PDF, made by the data protection officer and recorded on the audit log.

It walks the same records the anonymisation destroys (palermo.privacy.records), so what can be erased and
what is exported cannot drift apart. Staff names and internal keys are not the person's data and are left
out; values are labelled with their field names in the person's language."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi

from palermo.accounts.models import Membership, User
from palermo.assistance.summary import summary_language
from palermo.audit.services import audit_record
from palermo.cases.models import Case
from palermo.core.blind_index import BlindIndexField
from palermo.privacy.records import personal_records

_LEFT_OUT = ("id", "row_key", "version", "storage_name", "content_hmac")


def _shown(row: models.Model, field: models.Field) -> Any:
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    value = getattr(row, field.attname)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.is_relation and field.name not in _LEFT_OUT and not isinstance(field, BlindIndexField)
    ]


def subject_access_data(case: Case) -> dict[str, Any]:
    """What the records of `case` hold, labelled in the active language: {case, records: [{type, fields}]}."""
    records = []
    for record in personal_records():
        if record.model._meta.app_label == "privacy":
            continue  # a legal hold's reason is the controller's, and may concern proceedings in progress
        fields = _fields(record.model)
        for row in record.of_case(case).order_by("pk"):
            values = {str(field.verbose_name): _shown(row, field) for field in fields}
            shown = {label: value for label, value in values.items() if value not in (None, "")}
            if shown:
                records.append({"type": str(record.model._meta.verbose_name), "fields": shown})
    return {"case": case.reference, "made_on": timezone.localdate().isoformat(), "records": records}


def subject_access_export(
    *, actor: User, membership: Membership, case: Case, kind: str, language: str = ""
) -> tuple[bytes, str]:
    """The export as (content, language): kind "json" or "pdf". Recorded on the audit log at tier 4."""
    language = summary_language(case, language)
    with translation.override(language):
        data = subject_access_data(case)
        if kind == "pdf":
            from weasyprint import HTML  # loading Pango costs time other screens need not pay

            html = render_to_string(
                "privacy/export.html", {**data, "language": language, "rtl": get_language_bidi()}
            )
            content: bytes = HTML(string=html).write_pdf()
        else:
            content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    audit_record(
        actor=actor,
        action="privacy.export",
        tier=4,
        membership=membership,
        case=case,
        reason=f"subject access export, {kind}, language {language}",
    )
    return content, language
