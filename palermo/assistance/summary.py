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
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_bidi, get_language_info

from palermo.access.tiered import Tiered
from palermo.assistance.models import PersonChoice, Referral, ReferralStatus
from palermo.assistance.selectors import active_plan, case_worker
from palermo.cases.dates import person_dates
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


def person_languages(case: Case) -> list[str]:
    """The shipped summary languages the person speaks, in the order their record lists them."""
    person = case.persons.order_by("pk").first()
    if person is None:
        return []
    spoken = person.languages.order_by("pk").values_list("language", flat=True)
    return list(dict.fromkeys(SUMMARY_LANGUAGES[code] for code in spoken if code in SUMMARY_LANGUAGES))


def summary_language(case: Case, requested: str = "") -> str:
    """The language asked for when shipped; else the first of the person's languages that is; else the
    deployment's language."""
    if requested in LANGUAGE_CODES:
        return requested
    spoken = person_languages(case)
    if spoken:
        return spoken[0]
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGE_CODES else "en"


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in the language itself, so that the person can point at it
    spoken: bool  # one the person's record says they speak


def language_choices(case: Case) -> list[LanguageChoice]:
    """Every shipped language, the person's own first (as their record lists them), then the others in the
    order of the shipped list."""
    spoken = person_languages(case)
    ordered = spoken + [code for code in LANGUAGE_CODES if code not in spoken]
    return [LanguageChoice(code, get_language_info(code)["name_local"], code in spoken) for code in ordered]


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
    worker, worker_agency = case_worker(case, plan)
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
        "dates": person_dates(case),
        "case_worker": worker,
        "case_worker_agency": worker_agency,
    }


def render_summary_html(case: Case, language: str, tiers: Iterable[int]) -> str:
    with translation.override(language):
        context = {**summary_context(case, tiers), "language": language, "rtl": get_language_bidi()}
        return render_to_string("assistance/summary.html", context)


def render_summary_pdf(case: Case, language: str, tiers: Iterable[int]) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs time the other screens need not pay

    html = render_summary_html(case, language, tiers)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def summary_pdf_response(case: Case, language: str, tiers: Iterable[int]) -> HttpResponse:
    """The summary as an inline PDF, for the page and the API alike."""
    response = HttpResponse(render_summary_pdf(case, language, tiers), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{case.reference}-{language}.pdf"'
    return response
