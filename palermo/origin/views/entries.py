"""The country information pages: search (paged), one entry with its revisions, add, change, review, mark out
of date, the source file. Every staff role reads; the roles the access matrix names write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import allow
from palermo.accounts.active import acting
from palermo.core.form_pages import RecordForms, saved_page
from palermo.core.staff_pages import staff_page
from palermo.core.web import invalid_status, other_params
from palermo.origin import selectors
from palermo.origin.forms import EntryEditForm, EntryFilterForm, EntryForm, VersionForm
from palermo.origin.models import CountryEntry
from palermo.origin.services.common import may_edit
from palermo.origin.services.entries import (
    entry_create,
    entry_mark_out_of_date,
    entry_review,
    entry_update,
    review_due_on,
)
from palermo.origin.web import (
    EDITOR_ROLES,
    ORIGIN_ROLES,
    editor_acting,
    entries_found,
    search_page,
    source_file_response,
)


@staff_page(allow(*ORIGIN_ROLES), "GET")
def entries(request: HttpRequest) -> HttpResponse:
    return search_page(
        request,
        "origin/entries.html",
        EntryFilterForm,
        entries_found,
        export_query=other_params(request),
    )


def _entry_page(request: HttpRequest, entry: CountryEntry, status: int = 200, **extra: Any) -> HttpResponse:
    _user, membership = acting(request)
    context = {
        "entry": entry,
        "revisions": selectors.revisions_of(entry),
        "review_due_on": review_due_on(entry),
        "may_edit": may_edit(membership),
        "version_form": VersionForm(initial={"version": entry.version}),
        **extra,
    }
    return render(request, "origin/entry.html", context, status=status)


@staff_page(allow(*ORIGIN_ROLES), "GET")
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _entry_page(request, selectors.entry_for(acting(request).user, entry_id))


@staff_page(allow(*ORIGIN_ROLES), "GET")
def entry_file(request: HttpRequest, entry_id: int) -> HttpResponse:
    return source_file_response(acting(request).user, entry_id)


def _form_page(request: HttpRequest, form: EntryForm, title: Any, entry: CountryEntry | None) -> HttpResponse:
    status = invalid_status(request) if request.method == "POST" else 200
    context = {"form": form, "title": title, "entry": entry}
    return render(request, "origin/entry_form.html", context, status=status)


ENTRY_FORMS = RecordForms(
    EntryForm,
    EntryEditForm,
    "entry",
    lambda form: {"data": form.entry_data(), "upload": form.upload()},
    "origin:entry",
    files=True,
)


@staff_page(allow(*EDITOR_ROLES), "GET", "POST")
def entry_new(request: HttpRequest) -> HttpResponse:
    user, membership = editor_acting(request)
    form, done = ENTRY_FORMS.add(
        request, entry_create, _("Entry added to the country information"), actor=user, membership=membership
    )
    return done or _form_page(request, form, _("Add country information"), None)


@staff_page(allow(*EDITOR_ROLES), "GET", "POST")
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    user, membership = editor_acting(request)
    entry = selectors.entry_for(user, entry_id)
    form, done = ENTRY_FORMS.change(
        request, entry, entry_update, _("Entry changed"), actor=user, membership=membership
    )
    return done or _form_page(request, form, _("Change the entry"), entry)


def _step(
    request: HttpRequest, entry_id: int, service: Callable[..., CountryEntry], done: Any
) -> HttpResponse:
    user, membership = acting(request)
    entry = selectors.entry_for(user, entry_id)
    if not may_edit(membership):
        raise Http404
    form = VersionForm(request.POST)
    stepped = saved_page(
        request,
        form,
        lambda: service(
            actor=user, membership=membership, entry=entry, expected_version=form.cleaned_data["version"]
        ),
        done,
        ENTRY_FORMS.page_url,
    )
    return stepped or _entry_page(
        request, selectors.entry_for(user, entry_id), invalid_status(request), step_form=form
    )


@staff_page(allow(*EDITOR_ROLES), "POST")
def entry_review_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _step(request, entry_id, entry_review, _("Entry reviewed: it still holds"))


@staff_page(allow(*EDITOR_ROLES), "POST")
def entry_out_of_date_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _step(request, entry_id, entry_mark_out_of_date, _("Entry marked out of date"))
