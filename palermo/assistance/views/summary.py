"""The person's printable summary (PDF). It shows the plan (T4), so it takes narrative access on the case,
and every print is recorded in the audit log with its language. (The template's inline style never reaches
a browser: it is read by WeasyPrint only.)"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palermo.access.declare import allow
from palermo.access.selectors import case_for
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.assistance.summary import render_summary_pdf, summary_language
from palermo.audit.services import audit_record
from palermo.cases.models import Case
from palermo.cases.web import CASE_ROLES


def summary_pdf_response(case: Case, language: str) -> HttpResponse:
    pdf = render_summary_pdf(case, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="summary-{case.reference}-{language}.pdf"'
    return response


def audit_summary(*, actor: User, membership: Membership, case: Case, language: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            membership=membership,
            action="assistance.summary_print",
            tier=Tier.NARRATIVE,
            case=case,
            object_type="case",
            object_id=str(case.pk),
            reason=f"language: {language}",
        )


@allow(*CASE_ROLES)
@never_cache
@require_GET
def summary(request: HttpRequest, reference: str) -> HttpResponse:
    """?lang=fr|ru|uk|ro|sq|es|ar|en; by default the person's first shipped language."""
    user, membership = acting(request)
    case = case_for(membership, reference, Tier.NARRATIVE, reason="printable summary")
    language = summary_language(case, request.GET.get("lang", ""))
    audit_summary(actor=user, membership=membership, case=case, language=language)
    return summary_pdf_response(case, language)
