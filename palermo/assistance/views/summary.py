"""The person's printable summary (PDF). It shows the plan (T4), so it takes narrative access on the case,
and every print is recorded in the audit log with its language. (The template's inline style never reaches
a browser: it is read by WeasyPrint only.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from palermo.access.declare import allow
from palermo.access.policy import tiers_allowed
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.assistance.selectors import summary_printed
from palermo.assistance.summary import language_choices, summary_language, summary_pdf_response
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES
from palermo.core.staff_pages import staff_page


def _summary_case(request: HttpRequest, reference: str, reason: str) -> tuple[Membership, Case]:
    """The case whose summary the caller may print or choose the language of: it states the plan, so it
    takes narrative access (else 404), read for `reason`."""
    _user, membership = acting(request)
    return membership, case_for(membership, reference, Tier.NARRATIVE, reason=reason)


@staff_page(allow(*CASE_ROLES), "GET")
def summary(request: HttpRequest, reference: str) -> HttpResponse:
    """?lang=fr|ru|uk|ro|sq|es|ar|en; by default the person's first shipped language."""
    membership, case = _summary_case(request, reference, "printable summary")
    language = summary_language(case, request.GET.get("lang", ""))
    tiers = tiers_allowed(membership, case)
    return summary_pdf_response(summary_printed(membership, case, language), language, tiers)


@staff_page(allow(*CASE_ROLES), "GET")
def summary_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the summary's language is chosen, the person's own first; the PDF opens from here."""
    _membership, case = _summary_case(request, reference, "summary language")
    choices = language_choices(case)
    context = {
        "case": case,
        "choices": choices,
        "spoken": any(choice.spoken for choice in choices),
        "chosen": summary_language(case),
    }
    return render(request, "assistance/summary_page.html", context)
