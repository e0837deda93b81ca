"""Notes on the case page: list at the viewer's tiers, add at a chosen tier, edit with a version check."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.access.closure import OnClosedCase, on_closed_case
from palermo.accounts.active import acting
from palermo.cases.facts import preloaded_only
from palermo.cases.models import Case, CaseNote, NoteTier
from palermo.cases.selectors import case_note_for, case_notes, notes_shown
from palermo.cases.services.notes import MAX_NOTE_LENGTH, case_note_add, case_note_edit, writable_note_tiers
from palermo.cases.web import (
    SectionPost,
    render_conflict,
    section_post,
)
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.forms import StyledForm
from palermo.core.web import first_page, form_values, invalid_status, is_htmx, paged

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 20


def tier_field(help_text: StrOrPromise) -> forms.TypedChoiceField:
    """The tier a note or document is written at; `offer_tiers` gives its choices."""
    return forms.TypedChoiceField(label=_("What it holds"), coerce=int, help_text=help_text)


def offer_tiers(form: BaseForm, tiers: list[int]) -> None:
    """The tiers the writer may write at, the highest chosen to start with."""
    tier_field = form.fields["tier"]
    assert isinstance(tier_field, forms.TypedChoiceField)  # noqa: S101  (made by tier_field)
    tier_field.choices = [(t, label) for t, label in NoteTier.choices if t in tiers]
    if tiers:
        tier_field.initial = max(tiers)


class WrittenAtTierForm(StyledForm):
    """A note or a document added at a tier the writer chooses among `tiers` (the form's `tier`, made by
    `tier_field`); its element ids start with `id_<ids>_`, unique on the case page (names unchanged)."""

    ids: ClassVar[str]

    def __init__(self, *args: Any, tiers: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.ids}_%s")
        super().__init__(*args, **kwargs)
        offer_tiers(self, tiers)


def written_at_tier(content_field: str) -> Callable[[BaseForm, Callable[[], object]], object]:
    """How a note's or document's refusals show: about its content at `content_field`; a tier the writer may
    not use, at the tier."""

    def apply(form: BaseForm, call: Callable[[], object]) -> object:
        try:
            return call()
        except ValidationError as error:
            form.add_error(content_field, error)
        except PermissionDenied:
            form.add_error("tier", _("You may not write at this tier on this case."))
        return None

    return apply


class NoteForm(WrittenAtTierForm):
    ids = "note"
    body = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_NOTE_LENGTH
    )
    tier = tier_field(
        _("What kind of information the note holds: only those allowed to read that will see it.")
    )


class NoteEditForm(StyledForm):
    body = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_NOTE_LENGTH
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def edit_ids(note: CaseNote) -> str:
    """Element ids of one note's edit form, unique beside the other forms of the case page."""
    return f"id_note{note.pk}_%s"


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    user, membership = acting(request)
    first = preloaded_only(case, "cases.notes.first")
    page = paged(request, case_notes(case, tiers), PAGE_SIZE, param="notes_page", first=first)
    writable = writable_note_tiers(membership, case)
    # Who may edit is decided on the record's ids, never on what the reader is shown of its author.
    editable = {note.pk for note in page.object_list if note.author_id == user.pk and note.tier in writable}
    page.object_list = notes_shown(case, membership, page.object_list, tiers)
    return {
        "notes": page,
        "editable_note_ids": editable,
        "note_may_add": bool(writable),
    }


@section_post("notes", showing_section=True)
@on_closed_case(OnClosedCase.EXPLAIN)
def notes_section(post: SectionPost) -> HttpResponse:
    """GET: the notes partial (or the case page). POST: add a note."""
    return post.submit(
        NoteForm(post.request.POST, tiers=writable_note_tiers(post.membership, post.case)),
        "note_form",
        lambda data: case_note_add(**post.actor, case=post.case, **form_values(data, "body", "tier")),
        apply=written_at_tier("body"),
        done=_("Note added"),
    )


@section_post("notes", editing=True)
def note_edit(post: SectionPost, note_id: int) -> HttpResponse:
    request, case, membership = post.request, post.case, post.membership
    note = case_note_for(membership, case, note_id)
    if note.author_id != post.user.pk:
        raise PermissionDenied
    if request.method == "GET":
        notes_shown(case, membership, [note], post.tiers)
        form = NoteEditForm(initial={"body": note.body, "version": note.version}, auto_id=edit_ids(note))
        return _edit_page(request, case, note, form)
    form = NoteEditForm(request.POST, auto_id=edit_ids(note))
    if not form.is_valid():
        return _edit_page(request, case, note, form, status=invalid_status(request))
    try:
        case_note_edit(**post.actor, note=note, **form_values(form.cleaned_data, "body", version=True))
    except StaleEdit as stale:
        current: CaseNote = stale.current  # type: ignore[assignment]
        notes_shown(case, membership, [current], post.tiers)
        if not already_saved(current, {"body": form.cleaned_data["body"]}):
            return _conflict(request, case, form.cleaned_data["body"], current)
    except ValidationError as error:
        form.add_error("body", error)
        return _edit_page(request, case, note, form, status=invalid_status(request))
    except PermissionDenied:
        form.add_error(None, _("Only the author may edit a note."))
        return _edit_page(request, case, note, form, status=403)
    return post.changed(done=_("Note changed"))


def _edit_page(
    request: HttpRequest, case: Case, note: CaseNote, form: NoteEditForm, status: int = 200
) -> HttpResponse:
    context = {"case": case, "note": note, "form": form}
    if not is_htmx(request):
        return render(request, "cases/sections/note_edit.html", context, status=status)
    response = render(request, "cases/sections/note_edit_form.html", context, status=status)
    if request.method == "POST":  # a refused save: the form goes back where it was, not over the section
        response["HX-Retarget"] = f"#note-{note.pk}"
    return response


def _conflict(request: HttpRequest, case: Case, yours: str, current: CaseNote) -> HttpResponse:
    edit_url = reverse("cases:note_edit", args=[case.reference, current.pk])
    return render_conflict(
        request,
        title=str(_("This note was changed while you were editing it")),
        rows=[{"label": _("Note"), "yours": yours, "current": current.body}],
        retry_action=edit_url,
        retry_fields={"body": yours, "version": current.version},
        back_url=reverse("cases:detail", args=[case.reference]) + "#section-notes",
    )


def first_page_reads(case: Case, tiers: frozenset[int]) -> dict[str, QuerySet[Any]]:
    """The notes' first page with its total, for the case page's one statement (palermo.cases.facts)."""
    return {"cases.notes.first": first_page(case_notes(case, tiers), PAGE_SIZE)}
