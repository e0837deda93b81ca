"""The case page's forms, fetched when opened rather than rendered with every page.

A form of the case page (adding a name, a citizenship, a consent, a note, a document; changing the phase or
the forms of exploitation) is folded away in a <details> that fetches it from here with HTMX the first time it
is opened (cases/case_form.html). Without script, its link opens the same URL as a page of its own. Rendering
every form, with ISO country and language lists of several hundred options, on every view of the case page
cost most of the page's time; the forms are now built only for someone about to use them.

Other areas can serve their section's forms the same way with `palermo.cases.web.register_case_form`.
The form posts to the same endpoint as before; a refused post comes back inside the section, inline and open.
Who may open a form is who may submit it: anyone else gets 404, as for anything not there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.accounts.models import Membership
from palermo.cases.forms_consent import ConsentForm
from palermo.cases.models import Case
from palermo.cases.selectors import case_person_for
from palermo.cases.services.consent import may_record_consent
from palermo.cases.services.documents import writable_document_tiers
from palermo.cases.services.notes import writable_note_tiers
from palermo.cases.views.contact import contact_form
from palermo.cases.views.documents import DocumentForm
from palermo.cases.views.lifecycle import exploitation_form, transition_form
from palermo.cases.views.notes import NoteForm
from palermo.cases.views.person import (
    ALIAS_FORM,
    CITIZENSHIP_FORM,
    DOCUMENT_FORM,
    LANGUAGE_FORM,
    SubRecordForm,
    require_writable,
)
from palermo.cases.views.team import lead_form
from palermo.cases.web import CASE_ROLES, Builder, CaseForm, registered_case_form, visible_case
from palermo.core.staff_pages import staff_page
from palermo.core.web import is_htmx


def _person_add(adding: SubRecordForm, add_url: str) -> Builder:
    """A person's sub-record form (the person views' own table: form, prefix, the tier it is written at)."""

    def build(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
        require_writable(request, case, adding.kind.tier)
        if target is None:
            raise Http404
        person = case_person_for(case, target)
        return {"form": adding.form(prefix=adding.prefix), "person": person, "add_url": add_url}

    return build


def _contact(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    return {"form": contact_form(request, case)}


def _consent(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    _user, membership = acting(request)
    if not may_record_consent(membership, case):
        raise Http404
    return {"form": ConsentForm(is_child=case.is_child, prefix="consent")}


def _tiered(form_class: Any, writable_tiers: Callable[[Membership, Case], list[int]]) -> Builder:
    """The builder of a form filed at a tier the caller may write on the case (404 when there is none)."""

    def build(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
        writable = writable_tiers(acting(request)[1], case)
        if not writable:
            raise Http404
        return {"form": form_class(tiers=writable)}

    return build


_note = _tiered(NoteForm, writable_note_tiers)
_upload = _tiered(DocumentForm, writable_document_tiers)


def _transition(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    return {"form": transition_form(acting(request)[1], case)}


def _exploitation(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    return {"form": exploitation_form(acting(request)[1], case)}


def _lead(request: HttpRequest, case: Case, target: int | None) -> dict[str, Any]:
    return {"form": lead_form(acting(request)[1], case)}


FORMS: dict[str, CaseForm] = {
    "alias": CaseForm(
        _("Add another name"),
        "cases/forms/person_add.html",
        "person",
        _person_add(ALIAS_FORM, "cases:person_alias_add"),
    ),
    "citizenship": CaseForm(
        _("Add a citizenship"),
        "cases/forms/person_add.html",
        "person",
        _person_add(CITIZENSHIP_FORM, "cases:person_citizenship_add"),
    ),
    "language": CaseForm(
        _("Add a language"),
        "cases/forms/person_add.html",
        "person",
        _person_add(LANGUAGE_FORM, "cases:person_language_add"),
    ),
    "document": CaseForm(
        _("Add an identity document"),
        "cases/forms/person_add.html",
        "person",
        _person_add(DOCUMENT_FORM, "cases:person_document_add"),
    ),
    "contact": CaseForm(_("How to reach the person safely"), "cases/forms/contact.html", "person", _contact),
    "consent": CaseForm(_("Record a consent"), "cases/forms/consent.html", "consent", _consent),
    "note": CaseForm(_("Add a note"), "cases/forms/note.html", "notes", _note),
    "upload": CaseForm(_("Upload a document"), "cases/forms/upload.html", "documents", _upload),
    "transition": CaseForm(
        _("Change the phase or status"), "cases/forms/transition.html", "lifecycle", _transition
    ),
    "exploitation": CaseForm(
        _("Edit the forms of exploitation"), "cases/forms/exploitation.html", "lifecycle", _exploitation
    ),
    "lead": CaseForm(_("Hand the lead to another agency"), "cases/forms/lead.html", "team", _lead),
}


@staff_page(allow(*CASE_ROLES), "GET")
def case_form(request: HttpRequest, reference: str, name: str, target: int | None = None) -> HttpResponse:
    """One form of the case page: the bare form for HTMX, a page of its own otherwise."""
    entry = FORMS.get(name) or registered_case_form(name)
    if entry is None:
        raise Http404
    case, _tiers = visible_case(request, reference)
    context = {"case": case, "title": entry.title, **entry.build(request, case, target)}
    if is_htmx(request):
        return render(request, entry.template, context)
    back_url = reverse("cases:detail", args=[case.reference]) + f"#section-{entry.section}"
    context.update({"standalone": True, "form_template": entry.template, "back_url": back_url})
    return render(request, "cases/case_form_page.html", context)
