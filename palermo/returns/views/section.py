"""The returns section of the case page and its forms, and the download of a sent package.

Kinds, statuses and dates (T1) are shown to every case reader; the country of return or resettlement, the
receiving partner and the travel plan (T3) only to location readers; what the person asked and what was
assessed (T4) only to narrative readers; showing them is recorded (selectors.shown). Each form is offered only
to those its service would let through."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.web import (
    CASE_ROLES,
    attachment_response,
    render_form_conflict,
    render_section,
    section_changed,
    section_url,
    visible_case,
)
from palermo.core.section_actions import CaseGlue, SectionViews
from palermo.core.staff_pages import staff_page
from palermo.origin.selectors import citations_for
from palermo.returns import selectors
from palermo.returns.citing import RESETTLEMENT_KIND, RETURN_KIND
from palermo.returns.models import PackageDirection, ReturnStatus, TransnationalPackage
from palermo.returns.services.packages import PURPOSE_FIELDS
from palermo.returns.services.returns import OPEN, missing_for, missing_reason, partner_assessment_valid_until
from palermo.returns.views.actions import ACTIONS

SECTION = "returns"


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _user, membership = acting(request)
    records = {kind: selectors.section_records(case, kind) for kind in selectors.SECTION_RECORDS}
    shown = {
        kind: selectors.shown(case, membership, tiers, items) if kind != "packages" else items
        for kind, items in records.items()
    }
    missing = {
        r.pk: [missing_reason(m) for m in missing_for(r)] for r in records["returns"] if r.status in OPEN
    }
    # The country information each return and resettlement cites (palermo.origin): one query for each kind.
    cited = citations_for(RETURN_KIND, [r.pk for r in records["returns"]])
    cited_resettlements = citations_for(RESETTLEMENT_KIND, [r.pk for r in records["resettlements"]])
    for item in shown["resettlements"]:
        item.cited = cited_resettlements[item.pk]
    return {
        "returns_child_case": case_is_child(case),
        "returns_list": [
            {
                "record": r,
                "missing": missing.get(r.record.pk, []),
                "cited": cited[r.record.pk],
                "partner_valid_until": partner_assessment_valid_until(r.record),
                "closable": r.status == ReturnStatus.RETURNED
                and all(f.contacted_on for f in r.record.followups.all()),
            }
            for r in shown["returns"]
        ],
        "returns_resettlements": shown["resettlements"],
        "returns_packages": shown["packages"],
        "returns_show_location": Tier.LOCATION in tiers,
        "returns_show_narrative": Tier.NARRATIVE in tiers,
        "returns_may": {
            slug.replace("-", "_"): action.allowed(membership, case) for slug, action in ACTIONS.items()
        },
        "returns_purpose_fields": PURPOSE_FIELDS,
    }


class ReturnsViews(SectionViews):
    name = SECTION
    actions = ACTIONS
    glue = CaseGlue(visible_case, acting, render_section, section_changed)

    def conflict(
        self, request: HttpRequest, case: Case, tiers: frozenset[int], slug: str, form: BaseForm, current: Any
    ) -> HttpResponse:
        # The kernel's conflict screen, the record now at the reader's tiers.
        _user, membership = acting(request)
        return render_form_conflict(
            request,
            form,
            selectors.shown(case, membership, tiers, [current])[0],
            title=str(_("This record was changed while you were working on it")),
            back_url=section_url(case, SECTION),
        )


VIEWS = ReturnsViews()


returns_section, returns_action, returns_action_on = VIEWS.views(allow(*CASE_ROLES))


@staff_page(allow(*CASE_ROLES), "GET")
def package_token(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A sent package as a file to hand to the partner: ciphertext only its recipient opens."""
    case, _tiers = visible_case(request, reference)
    package = get_object_or_404(TransnationalPackage, case=case, pk=pk, direction=PackageDirection.SENT)
    return attachment_response(
        package.token.encode("ascii"), "application/jose", f"package-{package.package_id}.jwe"
    )
