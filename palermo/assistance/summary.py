"""The printable summary for the person: their rights during the reflection and recovery period, their
plan, appointments and contacts, as a PDF in their language (brief §3.2: the person is informed in a
language they understand).

Shipped languages: English, French, Russian, Ukrainian, Romanian, Albanian, Spanish and Arabic; the texts
are in this app's own catalogues (palermo/assistance/locale). Arabic is laid out right to left (`dir="rtl"`)
and shaped by WeasyPrint's text engine (Pango/HarfBuzz) with a font that covers Arabic and Cyrillic (DejaVu
Sans, Noto as fall-backs). The summary names no one: the case reference, never the person's name.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi

from palermo.access.tiered import Tiered
from palermo.assistance.models import PersonChoice, Referral, ReferralStatus
from palermo.assistance.selectors import active_plan
from palermo.cases.models import Case
from palermo.core.rulebooks import rulebook

# ISO 639-2 (the record's language codes) -> Django language code of the shipped summaries.
SUMMARY_LANGUAGES: dict[str, str] = {
    "eng": "en",
    "fra": "fr",
    "rus": "ru",
    "ukr": "uk",
    "ron": "ro",
    "sqi": "sq",
    "spa": "es",
    "ara": "ar",
}
LANGUAGE_CODES = tuple(SUMMARY_LANGUAGES.values())


@dataclass(frozen=True)
class Appointment:
    at: datetime.datetime
    service: str
    provider: str


def summary_language(case: Case, requested: str = "") -> str:
    """The language asked for when shipped; else the first of the person's languages that is; else the
    deployment's language."""
    if requested in LANGUAGE_CODES:
        return requested
    person = case.persons.order_by("pk").first()
    if person is not None:
        for code in person.languages.order_by("pk").values_list("language", flat=True):
            if code in SUMMARY_LANGUAGES:
                return SUMMARY_LANGUAGES[code]
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGE_CODES else "en"


def _open_referrals(case: Case) -> list[Referral]:
    return list(
        Referral.objects.filter(case=case, status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
        .select_related("service", "provider")
        .order_by("appointment_at", "sent_at", "pk")
    )


def summary_context(case: Case, tiers: Iterable[int]) -> dict[str, Any]:
    """What the summary shows to a reader of `tiers` (who prints it reads it): which safe house and a health
    service's kind are withheld from a reader without T3 and T4, as on the case page."""
    plan = active_plan(case)
    referrals = [Tiered(referral, tiers) for referral in _open_referrals(case)]
    return {
        "case": case,
        "printed_on": timezone.localdate(),
        # Stated as the rulebook states it: in months ("3 months") or in days.
        "reflection_months": rulebook().reflection.length.months,
        "reflection_days": rulebook().reflection.length.days,
        "plan": plan,
        "plan_services": [Tiered(item, tiers) for item in plan.services.all()] if plan is not None else [],
        "choices": PersonChoice,
        "appointments": [r for r in referrals if r.appointment_at is not None],
        "contacts": referrals,
    }


def render_summary_html(case: Case, language: str, tiers: Iterable[int]) -> str:
    with translation.override(language):
        context = {**summary_context(case, tiers), "language": language, "rtl": get_language_bidi()}
        return render_to_string("assistance/summary.html", context)


def render_summary_pdf(case: Case, language: str, tiers: Iterable[int]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs time the other screens need not pay

    html = render_summary_html(case, language, tiers)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
