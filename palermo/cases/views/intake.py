"""Intake screens: the referral form (new or resumed), the responder's drafts, and the warning of a possible
existing record.

The form posts with `action=save` (keep a draft, nothing required) or `action=submit` (validate in full and
open the case). Personal data travels only in POST bodies: URLs hold draft ids and case references.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.cases.forms_intake import (
    MULTIPLE_FIELDS,
    IntakeForm,
    draft_payload,
)
from palermo.cases.intake_reads import duplicate_warning
from palermo.cases.models import IntakeDraft
from palermo.cases.selectors import PossibleDuplicates, draft_shown, drafts_listed
from palermo.cases.services.intake import (
    INTAKE_ROLES,
    draft_data,
    draft_for,
    drafts_of,
    intake_draft_create,
    intake_draft_discard,
    intake_draft_save,
    intake_submit,
)
from palermo.cases.web import render_conflict
from palermo.core.concurrency import StaleEdit
from palermo.core.lists import listed
from palermo.core.staff_pages import staff_page
from palermo.core.web import errors_into, is_htmx, paged

DRAFTS_PAGE_SIZE = 20
DRAFT_LABEL_LENGTH = 40


class RetryPairs(list[tuple[str, str]]):
    """Hidden fields for the conflict screen's retry, where a multiple choice repeats its name."""

    def items(self) -> list[tuple[str, str]]:
        return list(self)


# --- the duplicate warning ---------------------------------------------------------------------------------


@staff_page(allow(*INTAKE_ROLES), "POST")
def intake_duplicates(request: HttpRequest) -> HttpResponse:
    """HTMX: the warning for the names and birth date typed so far (a POST, so nothing lands in a URL)."""
    found = _warning(request, request.POST)
    # Past the check's rate: the warning says so, in place for HTMX (which swaps in only a 200), else a 429.
    status = 429 if found.limited and not is_htmx(request) else 200
    return render(request, "cases/intake_duplicates.html", {"duplicates": found}, status=status)


# --- the form ----------------------------------------------------------------------------------------------


def _warning(request: HttpRequest, data: Mapping[str, Any]) -> PossibleDuplicates:
    """The warning shown with the form; past the check's rate it says the check was not made (the form is
    still saved or submitted)."""
    _user, membership = acting(request)
    return duplicate_warning(membership, data, who=request, refuse=False)


def _page(
    request: HttpRequest,
    form: IntakeForm,
    draft: IntakeDraft | None,
    duplicates: PossibleDuplicates | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "draft": draft, "duplicates": duplicates or PossibleDuplicates()}
    return render(request, "cases/intake.html", context, status=status)


@staff_page(allow(*INTAKE_ROLES), "GET", "POST")
def intake_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, IntakeForm(), None)
    return _post(request, None)


@staff_page(allow(*INTAKE_ROLES), "GET", "POST")
def intake_edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    _user, membership = acting(request)
    if request.method == "POST":
        return _post(request, draft_for(membership, draft_id))
    draft = draft_shown(membership, draft_id)
    data = draft_data(draft)
    form = IntakeForm(initial={**_initial(data), "version": draft.version})
    return _page(request, form, draft, _warning(request, data))


def _initial(data: Mapping[str, Any]) -> dict[str, Any]:
    """A draft's saved values as the form's initial values (shown as typed, without errors yet)."""
    return {name: value for name, value in data.items() if name in IntakeForm.base_fields}


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version") or 0)
    except ValueError:
        return 0


def _post(request: HttpRequest, draft: IntakeDraft | None) -> HttpResponse:
    action = request.POST.get("action")
    if action == "submit":
        return _submit(request, draft)
    if action == "autosave":
        return _autosave(request, draft)
    return _save(request, draft)


def _keep(request: HttpRequest, draft: IntakeDraft | None, payload: dict[str, Any]) -> IntakeDraft:
    """The draft saved with what the form holds (a new one the first time)."""
    user, membership = acting(request)
    if draft is None:
        return intake_draft_create(actor=user, membership=membership, data=payload)
    return intake_draft_save(
        actor=user, membership=membership, draft=draft, data=payload, expected_version=_version(request)
    )


def _refusal(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError) and error.code in ("draft_empty", "submitted"):
        return " ".join(error.messages)
    return _("The draft could not be saved. Check the lengths of the texts.")


def _autosave(request: HttpRequest, draft: IntakeDraft | None) -> HttpResponse:
    """The form's script saves the draft as the responder types (app.js): the answer says when it was saved,
    where the draft now lives and its version, for the form's next save; or why it was not saved."""
    payload = draft_payload(request.POST)
    try:
        draft = _keep(request, draft, payload)
    except StaleEdit:
        message = _("Not saved: this draft was saved elsewhere. Save the draft to compare the two.")
        return JsonResponse({"message": message}, status=409)
    except (ValidationError, PermissionDenied) as error:
        return JsonResponse({"message": _refusal(error)}, status=400)
    saved = timezone.localtime(draft.updated_at).strftime("%H:%M")
    return JsonResponse(
        {
            "message": _("Draft saved at %(time)s") % {"time": saved},
            "action": reverse("cases:intake_edit", args=[draft.pk]),
            "version": draft.version,
        }
    )


def _save(request: HttpRequest, draft: IntakeDraft | None) -> HttpResponse:
    payload = draft_payload(request.POST)
    try:
        draft = _keep(request, draft, payload)
    except StaleEdit as stale:
        current: IntakeDraft = stale.current  # type: ignore[assignment]
        return _draft_conflict(request, payload, current)
    except (ValidationError, PermissionDenied) as error:
        form = IntakeForm(request.POST)
        form.errors.clear()  # the draft was refused as a whole; the form's own checks wait for submission
        form.add_error(None, _refusal(error))
        return _page(request, form, draft, status=400)
    messages.success(request, _("Draft saved. You can come back to it from My drafts."))
    return redirect("cases:intake_edit", draft_id=draft.pk)


def _submit(request: HttpRequest, draft: IntakeDraft | None) -> HttpResponse:
    user, membership = acting(request)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return _page(request, form, draft, _warning(request, request.POST), status=400)
    try:
        case = intake_submit(
            actor=user,
            membership=membership,
            referral=form.referral(),
            draft=draft,
            expected_version=_version(request) if draft is not None else None,
        )
    except StaleEdit as stale:
        current: IntakeDraft = stale.current  # type: ignore[assignment]
        return _draft_conflict(request, draft_payload(request.POST), current)
    except ValidationError as error:
        errors_into(form, error)
        return _page(request, form, draft, _warning(request, request.POST), status=400)
    messages.success(
        request,
        _("Referral submitted: case %(reference)s. The identification authority has been told.")
        % {"reference": case.reference},
    )
    return redirect("cases:detail", reference=case.reference)


def _shown(form: IntakeForm, name: str, value: Any) -> str:
    """A draft value as the conflict screen shows it: choice labels rather than codes."""
    values = value if isinstance(value, list) else [value]
    field = form.fields[name]
    labels = dict(getattr(field, "choices", []) or [])
    return listed(labels.get(item, item) for item in values if item not in (None, ""))


def _draft_conflict(request: HttpRequest, yours: Mapping[str, Any], current: IntakeDraft) -> HttpResponse:
    """The draft was saved elsewhere (another tab, another device) since this one was opened."""
    theirs = draft_data(current)
    form = IntakeForm()
    names = [name for name in form.fields if name != "version" and (name in yours or name in theirs)]
    rows = [
        {
            "label": form.fields[name].label,
            "yours": _shown(form, name, yours.get(name, "")),
            "current": _shown(form, name, theirs.get(name, "")),
        }
        for name in names
    ]
    retry = RetryPairs(_pairs(yours))
    retry += [("version", str(current.version)), ("action", "save")]
    return render_conflict(
        request,
        title=_("This draft was saved elsewhere while you were editing it"),
        rows=rows,
        retry_action=reverse("cases:intake_edit", args=[current.pk]),
        retry_fields=retry,  # type: ignore[arg-type]  # the screen only calls .items()
        back_url=reverse("cases:intake_edit", args=[current.pk]),
    )


def _pairs(data: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for name, value in data.items():
        if name in MULTIPLE_FIELDS and isinstance(value, list):
            yield from ((name, str(item)) for item in value)
        else:
            yield name, str(value)


# --- drafts ------------------------------------------------------------------------------------------------


def _label(draft: IntakeDraft) -> str:
    """What the responder recognises a draft by: the names they typed, cut short."""
    data = draft_data(draft)
    name = " ".join(str(data.get(field, "")) for field in ("given_names", "family_names")).strip()
    return name[:DRAFT_LABEL_LENGTH] if name else ""


@staff_page(allow(*INTAKE_ROLES), "GET")
def intake_drafts(request: HttpRequest) -> HttpResponse:
    """My drafts, newest first, a page at a time; the number of queries does not grow with the page size.
    Showing their names is a read of the drafts' content, recorded once per page."""
    _user, membership = acting(request)
    page = paged(request, drafts_of(membership), DRAFTS_PAGE_SIZE)
    drafts = drafts_listed(membership, page.object_list)
    rows = [{"draft": draft, "label": _label(draft)} for draft in drafts]
    return render(request, "cases/intake_drafts.html", {"page": page, "rows": rows})


@staff_page(allow(*INTAKE_ROLES), "POST")
def intake_discard(request: HttpRequest, draft_id: int) -> HttpResponse:
    user, membership = acting(request)
    draft = draft_for(membership, draft_id)
    intake_draft_discard(actor=user, membership=membership, draft=draft)
    messages.success(request, _("Draft deleted."))
    return redirect("cases:intake_drafts")
