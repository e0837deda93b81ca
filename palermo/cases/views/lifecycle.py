"""The lifecycle section: phase and status, the transitions this member may apply, closure and re-opening,
and the case's forms of exploitation (T1). Who may do what is decided in `services.lifecycle`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access.closure import OnClosedCase, on_closed_case
from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.facts import preloaded
from palermo.cases.forms_lifecycle import ExploitationEditForm, TransitionForm
from palermo.cases.lifecycle import TRANSITIONS, IllegalTransition
from palermo.cases.models import Case
from palermo.cases.reference import ExploitationForm
from palermo.cases.services.lifecycle import case_exploitation_set, case_transition, transitions_for
from palermo.cases.web import (
    FieldPairs,
    SectionPost,
    render_conflict,
    section_page,
    section_post,
)
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.lists import listed
from palermo.core.web import form_values


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    _user, membership = acting(request)
    forms = preloaded(case, "cases.exploitation", lambda: case.exploitation_forms.order_by("form"))
    current_forms = [item.form for item in forms]
    return {
        "exploitation": [ExploitationForm(form).label for form in current_forms],
        "may_transition": bool(transitions_for(membership, case)),
        "may_edit_exploitation": can_write(membership, case, Tier.METADATA),
    }


def transition_form(membership: Membership, case: Case) -> TransitionForm:
    """The empty form of the transitions this member may apply (404 when there are none)."""
    transitions = transitions_for(membership, case)
    if not transitions:
        raise Http404
    return TransitionForm(transitions=transitions, initial={"version": case.version})


def exploitation_form(membership: Membership, case: Case) -> ExploitationEditForm:
    """The forms of exploitation as recorded, to edit (404 for those who may not write T1)."""
    if not can_write(membership, case, Tier.METADATA):
        raise Http404
    current = list(case.exploitation_forms.order_by("form").values_list("form", flat=True))
    return ExploitationEditForm(
        recorded=current, initial={"exploitation_forms": current, "version": case.version}
    )


lifecycle_section = section_page("lifecycle")


@section_post("lifecycle")
@on_closed_case(OnClosedCase.REOPEN)  # the only transition from closed (the lifecycle table)
def transition(post: SectionPost) -> HttpResponse:
    form = TransitionForm(post.request.POST, transitions=list(TRANSITIONS.values()))
    if not form.is_valid():
        return post.refused(transition_form=form)
    data = form.cleaned_data
    try:
        case = case_transition(
            **post.actor,
            case=post.case,
            name=data["transition"],
            **form_values(data, "reason", "closure_reason", version=True),
        )
    except StaleEdit as stale:
        current: Case = stale.current  # type: ignore[assignment]
        if not _already_moved(current, data["transition"]):
            return _transition_conflict(post.request, post.case, data, current)
        case = current
    except IllegalTransition:
        form.add_error("transition", _("This change is not possible from the case's current phase."))
    except PermissionDenied:
        form.add_error("transition", _("Your role may not make this change on this case."))
    except ValidationError as error:
        field = "closure_reason" if error.code == "closure_reason_required" else "reason"
        form.add_error(field, error)
    if form.errors:
        return post.refused(transition_form=form)
    return post.changed(case, refresh_header=True, done=_moved(case))


def _already_moved(current: Case, name: str) -> bool:
    """The same change sent twice: the case already stands where it would take it."""
    target = TRANSITIONS[name].target
    return target is not None and already_saved(current, {"phase": target})


def _moved(case: Case) -> str:
    return _("The case is now at %(phase)s (%(status)s)") % {
        "phase": case.get_phase_display(),
        "status": case.get_status_display(),
    }


def _transition_conflict(
    request: HttpRequest, case: Case, data: dict[str, Any], current: Case
) -> HttpResponse:
    wanted = TRANSITIONS[data["transition"]]
    return render_conflict(
        request,
        title=str(_("The case changed while you were looking at it")),
        rows=[
            {"label": _("Change"), "yours": wanted.label, "current": _("(not applied)")},
            {"label": _("Phase"), "yours": "", "current": current.get_phase_display()},
            {"label": _("Status"), "yours": "", "current": current.get_status_display()},
        ],
        retry_action=reverse("cases:transition", args=[case.reference]),
        retry_fields={
            "transition": data["transition"],
            "reason": data["reason"],
            "closure_reason": data["closure_reason"],
            "version": current.version,
        },
        back_url=reverse("cases:detail", args=[case.reference]),
    )


@section_post("lifecycle")
def exploitation_edit(post: SectionPost) -> HttpResponse:
    recorded = list(post.case.exploitation_forms.values_list("form", flat=True))
    form = ExploitationEditForm(post.request.POST, recorded=recorded)
    if not form.is_valid():
        return post.refused(exploitation_form=form)
    chosen = form.cleaned_data["exploitation_forms"]
    try:
        case = case_exploitation_set(
            **post.actor, case=post.case, forms=chosen, expected_version=form.cleaned_data["version"]
        )
    except StaleEdit as stale:
        current: Case = stale.current  # type: ignore[assignment]
        if set(current.exploitation_forms.values_list("form", flat=True)) != set(chosen):
            return _exploitation_conflict(post.request, post.case, chosen, current)
        case = current
    except PermissionDenied:
        form.add_error(None, _("You may not edit this case."))
        return post.refused(exploitation_form=form)
    return post.changed(case, refresh_header=True, done=_("Forms of exploitation saved"))


def _exploitation_conflict(request: HttpRequest, case: Case, yours: list[str], current: Case) -> HttpResponse:
    now = [ExploitationForm(item.form).label for item in current.exploitation_forms.order_by("form")]
    return render_conflict(
        request,
        title=str(_("The case changed while you were editing it")),
        rows=[
            {
                "label": _("Forms of exploitation"),
                "yours": listed(ExploitationForm(v).label for v in yours),
                "current": listed(now),
            }
        ],
        retry_action=reverse("cases:exploitation", args=[case.reference]),
        retry_fields=FieldPairs([*(("exploitation_forms", v) for v in yours), ("version", current.version)]),
        back_url=reverse("cases:detail", args=[case.reference]),
    )
