"""The children section of the case page (shown on a child's case only) and its forms.

Kinds, dates and outcomes (T1) are shown to every case reader; what was said and why (T4) only to T4
readers, where the family was found (T3) only to T3 readers, and showing narrative is recorded. Each form is
offered only to those its service would let through. Viewing the section writes nothing: the guardian
appointment deadline opens when the case is opened as a child's case or becomes one (palermo.cases.opening).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.cases.child import case_is_child
from palermo.cases.models import Case
from palermo.cases.services.representation import may_record_representative
from palermo.cases.web import (
    CASE_ROLES,
    render_form_conflict,
    render_section,
    section_changed,
    visible_case,
)
from palermo.children import selectors
from palermo.children.views.actions import ACTIONS
from palermo.core.decisions import ChildViewsMissing, DecisionBlocked
from palermo.core.section_actions import CaseGlue, SectionViews

SECTION = "children"


# The section's lists: the context name of each, and its kind of record (selectors.SECTION_RECORDS).
LISTS = {
    "child_guardianships": "guardianships",
    "child_representatives": "representatives",
    "child_notices": "notices",
    "child_best_interest": "best_interest",
    "child_tracing": "tracing",
    "child_contacts": "contacts",
    "child_family_assessments": "family_assessments",
    "child_care": "care",
    "child_status_decisions": "status_decisions",
    "child_solutions": "solutions",
}
# Lists of case metadata only (T1), whose showing is not a recorded read.
METADATA_LISTS = frozenset({"child_guardianships", "child_notices"})


def _records(case: Case, held: selectors.OnFile) -> dict[str, list[Any]]:
    """Each list the section shows, read only when the case has records of its kind (`held`)."""
    return {
        name: selectors.section_records(case, kind) if kind in held.kinds else []
        for name, kind in LISTS.items()
    }


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    if not case_is_child(case):
        return {"child_case": False}
    _user, membership = acting(request)
    held = selectors.on_file(case)
    records = _records(case, held)
    show_narrative = Tier.NARRATIVE in tiers
    for name in records.keys() - METADATA_LISTS:
        records[name] = selectors.records_shown(case, membership, tiers, records[name])
    guardianship = next((g for g in records["child_guardianships"] if g.ended_at is None), None)
    return {
        "child_case": True,
        "child_guardian": guardianship,
        # Until a guardian is appointed: who acts for the child (the name is identity, T2: hidden below it).
        "child_representative": None if guardianship else next(iter(records["child_representatives"]), None),
        "child_show_narrative": show_narrative,
        "child_show_location": Tier.LOCATION in tiers,
        "child_consent_count": held.guardian_consents,
        "child_may": {
            slug.replace("-", "_"): action.allowed(membership, case)
            for slug, action in ACTIONS.items()
            if slug != "representative"
        }
        # Known already without asking again: whether a guardian is appointed.
        | {"representative": guardianship is None and may_record_representative(membership, case)},
        **records,
    }


class ChildrenViews(SectionViews):
    name = SECTION
    actions = ACTIONS
    glue = CaseGlue(visible_case, acting, render_section, section_changed)
    refusals = (ValidationError, ChildViewsMissing, DecisionBlocked)

    def visible_case(self, request: HttpRequest, reference: str) -> tuple[Case, frozenset[int]]:
        case, tiers = visible_case(request, reference)
        if not case_is_child(case):
            raise Http404
        return case, tiers

    def add_errors(self, form: BaseForm, error: Exception) -> None:
        if isinstance(error, ChildViewsMissing):
            for field, message in error.problems.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            super().add_errors(form, error)

    def conflict(
        self, request: HttpRequest, case: Case, tiers: frozenset[int], slug: str, form: BaseForm, current: Any
    ) -> HttpResponse:
        """Both versions side by side, and a knowing re-apply."""
        return render_form_conflict(
            request,
            form,
            current,
            title=str(_("This record was changed while you were working on it")),
            retry_action=reverse("children:action_on", args=[case.reference, slug, current.pk]),
            back_url=reverse("cases:detail", args=[case.reference]) + "#section-children",
        )


VIEWS = ChildrenViews()


children_section, child_action, child_action_on = VIEWS.views(allow(*CASE_ROLES))
