"""The person's printable summary (PDF). It shows the plan (T4), so it takes narrative access on the case,
and every print is recorded in the audit log with its language. (The template's inline style never reaches
a browser: it is read by WeasyPrint only.)"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palermo.access.declare import allow
from palermo.access.policy import tiers_allowed
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.assistance.selectors import summary_printed
from palermo.assistance.summary import render_summary_pdf, summary_language
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES


def summary_pdf_response(case: Case, language: str, tiers: Iterable[int]) -> HttpResponse:
    pdf = render_summary_pdf(case, language, tiers)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{case.reference}-{language}.pdf"'
    return response


@allow(*CASE_ROLES)
@never_cache
@require_GET
def summary(request: HttpRequest, reference: str) -> HttpResponse:
    """?lang=fr|ru|uk|ro|sq|es|ar|en; by default the person's first shipped language."""
    _user, membership = acting(request)
    case = case_for(membership, reference, Tier.NARRATIVE, reason="printable summary")
    language = summary_language(case, request.GET.get("lang", ""))
    tiers = tiers_allowed(membership, case)
    return summary_pdf_response(summary_printed(membership, case, language), language, tiers)
