"""Helpers shared by the assistance screens on the case page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from palermo.cases.models import Case
from palermo.cases.web import render_section
from palermo.core.concurrency import StaleEdit
from palermo.core.web import errors_into, invalid_status

AREA = "assistance"
SECTION_ANCHOR = "#section-assistance"


def refused_form(
    request: HttpRequest, case: Case, tiers: frozenset[int], form_name: str, form: Any
) -> HttpResponse:
    """The section again with the refused form and its errors; 400 without HTMX, 200 for HTMX to swap."""
    return render_section(request, case, tiers, AREA, status=invalid_status(request), **{form_name: form})


def apply_to_form(form: Any, call: Any) -> Any:
    """Run a service call; its refusals become form errors (a field's when the form has it). Returns the
    call's result, or None when refused."""
    try:
        return call()
    except ValidationError as error:
        errors_into(form, error)
    except PermissionDenied:
        form.add_error(None, _("You may not do this on this case."))
    return None


def apply_at_version(form: Any, call: Any) -> Any:
    """`apply_to_form` for a change that states the version read: a stale one becomes a form error too (the
    record moved on meanwhile, say the provider answered; nothing was saved)."""
    try:
        return apply_to_form(form, call)
    except StaleEdit:
        form.add_error(None, _("This record changed after you opened it. Nothing was saved: look again."))
        return None
