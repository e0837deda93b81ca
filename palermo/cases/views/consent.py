"""The consent section of the case page: every consent given and withdrawn, recording and withdrawal (HTMX).

Consents are case metadata (T1): every case reader sees them. Recording or withdrawing one is done with the
person, so it needs write access to their identity (T2) on the case (`services.consent`).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from palermo.access.closure import OnClosedCase, on_closed_case
from palermo.access.tiered import Tiered
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.forms_consent import ConsentForm, WithdrawForm
from palermo.cases.models import Case
from palermo.cases.selectors import case_consent_for, case_consents
from palermo.cases.services.consent import (
    consent_record,
    consent_withdraw,
    may_record_consent,
    may_withdraw_consent,
)
from palermo.cases.web import (
    SectionPost,
    section_post,
)
from palermo.core import iso
from palermo.core.web import saved

SECTION = "consent"


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _user, membership = acting(request)
    # Tiered: the recipient reads at T3/T4 when it names a safe house's provider or a health service.
    consents = [Tiered(consent, tiers) for consent in case_consents(case)]
    for consent in consents:
        country = iso.country_name(consent.recipient_country) if consent.recipient_country else ""
        consent.language_name = iso.language_name(consent.language)  # type: ignore[attr-defined]
        consent.country_name = country  # type: ignore[attr-defined]
    return {
        "consents": consents,
        "show_withdrawal_notes": Tier.IDENTITY in tiers,  # the note is T2; the consent itself T1
        "consent_may_record": may_record_consent(membership, case),
        # A consent can be withdrawn on a closed case too (palermo.access.closure).
        "withdraw_form": WithdrawForm(prefix="withdraw") if may_withdraw_consent(membership, case) else None,
    }


@section_post(SECTION, showing_section=True)
def consent_section(post: SectionPost) -> HttpResponse:
    """GET: the consent partial (or the case page). POST: record a consent."""
    case = post.case
    if not may_record_consent(post.membership, case):
        raise Http404
    return post.submit(
        ConsentForm(post.request.POST, is_child=case.is_child, prefix="consent"),
        "consent_form",
        lambda data: consent_record(**post.actor, case=case, **data),
        apply=saved,
        done=_("Consent recorded"),
    )


@section_post(SECTION)
@on_closed_case(OnClosedCase.WITHDRAW_CONSENT)
def consent_withdraw_view(post: SectionPost, consent_id: int) -> HttpResponse:
    if not may_withdraw_consent(post.membership, post.case):
        raise Http404
    consent = case_consent_for(post.case, consent_id)
    return post.submit(
        WithdrawForm(post.request.POST, prefix="withdraw"),
        "withdraw_form",
        lambda data: consent_withdraw(**post.actor, consent=consent, note=data["note"]),
        apply=saved,
        refused_with={"withdraw_failed": consent.pk},
        done=_("Consent withdrawn"),
    )
