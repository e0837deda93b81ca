"""The residence section of the case page: the picture of the person's legal status over time (with its
table), the permit in force and its rights, the applications with their statuses and due days, and the form to
record an application, folded away and fetched only when opened (`cases:form`, registered from the app's
ready()). Everything here is case metadata (T1); reasons (T2) and assessments (T4) are on each application's
own page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.models import Case
from palermo.cases.web import (
    SectionPost,
    section_post,
)
from palermo.core.days import today
from palermo.core.web import form_values, refusals_onto
from palermo.residence.chart import NARROW_WIDTH, draw, table_rows
from palermo.residence.forms import ApplicationForm
from palermo.residence.legal_status import legal_status_chart
from palermo.residence.selectors import (
    applications_in_brief,
    awaited_due_on,
    current_permit,
    permits_in_brief,
    renewable_permits,
)
from palermo.residence.services.applications import ApplicationInput, application_lodge
from palermo.residence.services.common import may_record_application

SECTION = "residence"


def lodge_form(case: Case, membership: Any, data: Any = None) -> ApplicationForm:
    return ApplicationForm(
        data,
        permits=renewable_permits(case),
        with_location=can_write(membership, case, Tier.LOCATION),
        initial={"lodged_on": today()},
    )


def lodge_form_context(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    """The folded form to record an application (with the ISO country list for resettlement), built only
    when opened; 404 for anyone who may not record one."""
    _, membership = acting(request)
    if not may_record_application(membership, case):
        raise Http404
    return {"form": lodge_form(case, membership)}


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _, membership = acting(request)
    if Tier.METADATA not in tiers:
        return {"residence_hidden": True}
    applications, permits = applications_in_brief(case), permits_in_brief(case)
    chart = legal_status_chart(case, applications, permits, membership)
    rows = [(application, awaited_due_on(application)) for application in applications]
    return {
        "residence_applications": rows,
        "residence_permit": current_permit(permits),
        "residence_chart": None if chart.empty else draw(chart, rtl=get_language_bidi()),
        "residence_chart_narrow": None
        if chart.empty
        else draw(chart, width=NARROW_WIDTH, rtl=get_language_bidi(), most_ticks=4),
        "residence_chart_rows": table_rows(chart),
        "residence_may_lodge": may_record_application(membership, case),
    }


@section_post(SECTION, showing_section=True)
def residence_section(post: SectionPost) -> HttpResponse:
    """GET: the section (or the case page). POST: record an application lodged with an authority."""
    form = lodge_form(post.case, post.membership, post.request.POST)
    return post.submit(
        form,
        "residence_lodge_form",
        lambda data: application_lodge(
            **post.actor,
            case=post.case,
            data=ApplicationInput(
                **form_values(data, "kind", "authority", "lodged_on", "route"),
                renews=form.renewed_permit(),
                destination_country=data.get("destination_country") or "",
            ),
        ),
        apply=refusals_onto,
        done=_("Application recorded"),
    )
