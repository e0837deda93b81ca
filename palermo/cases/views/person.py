"""The person section of the case page: the person's details at the viewer's tiers, and their editing.

What shows depends on the tiers the viewer may read (T1 gender, age group, citizenships, languages; T2 names,
aliases, birth date, documents, contact; T3 where the person is; T4 the note); what can be edited, on the
tiers they may write. Reads above T1 are recorded in the audit log. Edits state the version read: a stale save
shows the conflict screen with both versions and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import can_write
from palermo.access.tiered import Tiered
from palermo.access.tiers import Tier
from palermo.accounts.active import acting
from palermo.accounts.models import Membership, User
from palermo.cases.age import ChildBasis, age_on, child_basis
from palermo.cases.forms_person import (
    AliasForm,
    CitizenshipForm,
    IdentityDocumentEditForm,
    IdentityDocumentForm,
    LanguageForm,
    PersonForm,
    birth_date_initial,
)
from palermo.cases.models import BirthDatePrecision, Case, IdentityDocument, Person, PersonLanguage
from palermo.cases.reference import Gender
from palermo.cases.selectors import case_person_for, person_for_form, person_part_for, persons_shown
from palermo.cases.services import person as services
from palermo.cases.services import person_subrecords as subrecords
from palermo.cases.services.person_subrecords import SubRecord
from palermo.cases.web import (
    SectionPost,
    render_conflict,
    section_page,
    section_post,
)
from palermo.core import iso
from palermo.core.concurrency import StaleEdit, already_saved
from palermo.core.forms import StyledForm
from palermo.core.web import errors_into, invalid_status, refused_as_not_found, render_form, saved

SECTION = "person"
CHILD_TEXT = {
    ChildBasis.BY_AGE: _("Child (by date of birth)"),
    ChildBasis.POSSIBLY_UNDER_AGE: _(
        "Child: the known part of the date of birth allows an age under the threshold"
    ),
    ChildBasis.PRESUMED: _("Presumed a child: age uncertain, with reasons to believe a child"),
    ChildBasis.ADULT: _("Adult"),
    ChildBasis.UNKNOWN: _("Age not known"),
}


def writable_tiers(request: HttpRequest, case: Case) -> frozenset[int]:
    _user, membership = acting(request)
    return frozenset(
        int(tier) for tier in Tier if tier != Tier.AGGREGATE and can_write(membership, case, tier)
    )


def birth_date_text(person: Person | Tiered[Person]) -> str:
    """The birth date as precisely as it is known: 2007-03-14, 2007-03, 2007, or "about 16 (estimated)";
    nothing when it is not known or hidden from the reader."""
    birth = person.birth_date
    if not birth:
        return ""
    precision = person.birth_date_precision
    if precision == BirthDatePrecision.EXACT:
        return date_format(birth)
    if precision == BirthDatePrecision.YEAR_MONTH:
        return date_format(birth, "YEAR_MONTH_FORMAT")
    if precision == BirthDatePrecision.YEAR:
        return str(birth.year)
    age = age_on(birth, precision, timezone.localdate())
    return str(_("about %(age)d years old (estimated)") % {"age": age.estimate if age else 0})


def _decorate(person: Tiered[Person]) -> Tiered[Person]:
    """Display values the template shows, computed once per person."""
    on = timezone.localdate()
    person.birth_date_text = birth_date_text(person)
    # Whether the person is a child is case metadata (T1) derived from the birth date: the one identity
    # value read for a reader who may not see it, and never shown to them.
    record = person.record
    person.child_basis = child_basis(
        birth_date=record.birth_date,
        precision=record.birth_date_precision,
        age_uncertain=person.age_uncertain,
        believed_child=person.believed_child,
        on=on,
    )
    person.child_text = CHILD_TEXT[person.child_basis]
    for citizenship in person.citizenships.all():
        citizenship.name = iso.country_name(citizenship.country)  # type: ignore[attr-defined]
    for language in person.languages.all():
        language.name = iso.language_name(language.language)  # type: ignore[attr-defined]
    for document in person.identity_documents.all():
        document.country_name = iso.country_name(document.issuing_country) if document.issuing_country else ""  # type: ignore[attr-defined]
    return person


def require_writable(request: HttpRequest, case: Case, tier: Tier) -> None:
    """Refuse (404, as for anything not there) before reading a form the user could not save anyway."""
    if tier not in writable_tiers(request, case):
        raise Http404


def section_context(request: HttpRequest, case: Case, tiers: frozenset[int]) -> dict[str, Any]:
    """The person section's own context; the persons come redacted for the reader (and their read
    recorded) from the selector."""
    _user, membership = acting(request)
    shown = persons_shown(case, membership, tiers) if Tier.METADATA in tiers else []
    persons = [_decorate(person) for person in shown]
    writable = writable_tiers(request, case)
    return {
        "persons": persons,
        "person_writable": writable,
        "person_may_edit": bool(writable),
    }


def _section_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#section-person"


person_section = section_page(SECTION)


# --- the person's own fields -------------------------------------------------------------------------------


def _person_initial(person: Person, form_fields: list[str]) -> dict[str, Any]:
    initial = {name: getattr(person, name) for name in form_fields if hasattr(person, name)}
    initial.update(birth_date_initial(person))
    initial["version"] = person.version
    return initial


def _edit_page(
    request: HttpRequest, case: Case, person: Person, form: PersonForm, status: int = 200
) -> HttpResponse:
    context = {"case": case, "person": person, "form": form}
    return render_form(request, "cases/person_edit.html", "cases/person_edit_form.html", context, status)


@section_post(SECTION, editing=True)
def person_edit(post: SectionPost, person_id: int) -> HttpResponse:
    request, case, membership = post.request, post.case, post.membership
    writable = writable_tiers(request, case)
    if not writable:
        raise Http404
    person = case_person_for(case, person_id)
    if request.method == "GET":
        person_for_form(case, membership, writable, person)
        form = PersonForm(writable=writable, person=person)
        form.initial = _person_initial(person, list(form.fields))
        return _edit_page(request, case, person, form)
    form = PersonForm(request.POST, writable=writable, person=person)
    if not form.is_valid():
        return _edit_page(request, case, person, form, status=invalid_status(request))
    try:
        services.person_update(
            **post.actor,
            person=person,
            changes=form.changes(),
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit as stale:
        current: Person = stale.current  # type: ignore[assignment]
        person_for_form(case, membership, writable, current)
        if not already_saved(current, form.changes()):
            return _person_conflict(request, case, form, current)
    except ValidationError as error:
        errors_into(form, error)
        return _edit_page(request, case, person, form, status=invalid_status(request))
    except PermissionDenied:
        form.add_error(None, _("You may not change these details on this case."))
        return _edit_page(request, case, person, form, status=403)
    return post.changed(done=_("The person's details are saved"))


def _shown(value: Any) -> str:
    """A value as the conflict screen shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value in Gender.values:
        return str(Gender(value).label)
    return str(value)


def _person_conflict(request: HttpRequest, case: Case, form: PersonForm, current: Person) -> HttpResponse:
    """Both versions, field by field; "save mine" re-posts the editor's values with the current version."""
    yours = form.changes()
    rows = []
    for name, value in yours.items():
        if name == "birth_date_precision":
            continue
        if name == "birth_date":
            theirs = birth_date_text(current)
            mine_person = Person(
                birth_date=value, birth_date_precision=yours.get("birth_date_precision", "exact")
            )
            rows.append(
                {"label": _("Date of birth"), "yours": birth_date_text(mine_person), "current": theirs}
            )
            continue
        label = form.fields[name].label if name in form.fields else name
        rows.append({"label": label, "yours": _shown(value), "current": _shown(getattr(current, name))})
    retry = {name: form.data.get(name, "") for name in form.fields if name != "version"}
    for name in ("age_uncertain", "believed_child"):
        if name in form.fields:
            retry[name] = "on" if form.cleaned_data.get(name) else "False"
    retry["version"] = str(current.version)
    edit_url = reverse("cases:person_edit", args=[case.reference, current.pk])
    return render_conflict(
        request,
        title=str(_("The person's details were changed while you were editing them")),
        rows=rows,
        retry_action=edit_url,
        retry_fields=retry,
        back_url=_section_url(case),
    )


# --- aliases, citizenships, languages, documents -----------------------------------------------------------


@dataclass(frozen=True)
class SubRecordForm:
    """How the section adds one kind of sub-record: the kind its service writes, the form and its prefix, and
    the name a refused form goes back to the section under."""

    kind: SubRecord
    form: type[StyledForm]
    prefix: str
    context_name: str
    added: str | Promise  # what the section's banner says once it is added


ALIAS_FORM = SubRecordForm(subrecords.ALIAS, AliasForm, "alias", "alias_form", _("Name added"))
CITIZENSHIP_FORM = SubRecordForm(
    subrecords.CITIZENSHIP, CitizenshipForm, "citizenship", "citizenship_form", _("Citizenship added")
)
LANGUAGE_FORM = SubRecordForm(
    subrecords.LANGUAGE, LanguageForm, "language", "language_form", _("Language added")
)
DOCUMENT_FORM = SubRecordForm(
    subrecords.DOCUMENT,
    IdentityDocumentForm,
    "document",
    "identity_document_form",
    _("Identity document added"),
)

View = Callable[..., HttpResponse]
# What a posted change does to one record (remove it, set a flag), given the posted data.
Change = Callable[[User, Membership, Any, QueryDict], object]


def _add_view(adding: SubRecordForm) -> View:
    """The POST view adding one kind of sub-record to a person: refused before the form is read for someone
    who may not write its tier; a bad value comes back in the section, inline and open."""

    @section_post(SECTION)
    def view(post: SectionPost, person_id: int) -> HttpResponse:
        require_writable(post.request, post.case, adding.kind.tier)
        person = case_person_for(post.case, person_id)
        return post.submit(
            adding.form(post.request.POST, prefix=adding.prefix),
            adding.context_name,
            lambda data: subrecords.sub_record_add(adding.kind, **post.actor, person=person, values=data),
            apply=saved,
            done=adding.added,
        )

    return view


def _change_view(kind: SubRecord, change: Change, done: str | Promise) -> View:
    """The POST view changing (or removing) one sub-record of `kind` of a person of this case."""

    @section_post(SECTION)
    def view(post: SectionPost, record_id: int) -> HttpResponse:
        require_writable(post.request, post.case, kind.tier)
        record = person_part_for(kind.model, post.case, record_id)
        with refused_as_not_found():
            change(post.user, post.membership, record, post.request.POST)
        return post.changed(done=done)

    return view


def _remove_view(kind: SubRecord, done: str | Promise) -> View:
    """The POST view removing one sub-record of `kind`, whatever else was posted."""

    def remove(user: User, membership: Membership, record: Any, _post: QueryDict) -> None:
        subrecords.sub_record_remove(kind, actor=user, membership=membership, record=record)

    return _change_view(kind, remove, done)


def _language_change(user: User, membership: Membership, language: PersonLanguage, post: QueryDict) -> None:
    """One language: `action=remove`, or `needs_interpreter` on or off."""
    if post.get("action") == "remove":
        subrecords.person_language_remove(actor=user, membership=membership, language=language)
        return
    subrecords.person_language_set_interpreter(
        actor=user,
        membership=membership,
        language=language,
        needs_interpreter=post.get("needs_interpreter") == "on",
    )


alias_add = _add_view(ALIAS_FORM)
alias_remove = _remove_view(subrecords.ALIAS, _("Name removed"))
citizenship_add = _add_view(CITIZENSHIP_FORM)
citizenship_remove = _remove_view(subrecords.CITIZENSHIP, _("Citizenship removed"))
language_add = _add_view(LANGUAGE_FORM)
language_change = _change_view(subrecords.LANGUAGE, _language_change, _("Language changed"))
document_add = _add_view(DOCUMENT_FORM)


def _document_page(
    request: HttpRequest,
    case: Case,
    document: IdentityDocument,
    form: IdentityDocumentEditForm,
    status: int = 200,
) -> HttpResponse:
    context = {"case": case, "document": document, "form": form}
    return render_form(
        request, "cases/person_document.html", "cases/person_document_form.html", context, status
    )


@section_post(SECTION, editing=True)
def document_edit(post: SectionPost, document_id: int) -> HttpResponse:
    request, case, membership = post.request, post.case, post.membership
    require_writable(request, case, subrecords.DOCUMENT.tier)
    document = person_part_for(IdentityDocument, case, document_id)
    if request.method == "GET":
        person_for_form(case, membership, [Tier.IDENTITY], document.person)
        initial = {name: getattr(document, name) for name in subrecords.DOCUMENT_FIELDS}
        form = IdentityDocumentEditForm(initial={**initial, "version": document.version})
        return _document_page(request, case, document, form)
    form = IdentityDocumentEditForm(request.POST)
    if not form.is_valid():
        return _document_page(request, case, document, form, status=invalid_status(request))
    changes = {name: form.cleaned_data[name] for name in subrecords.DOCUMENT_FIELDS}
    try:
        subrecords.identity_document_edit(
            **post.actor,
            document=document,
            changes=changes,
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit as stale:
        current: IdentityDocument = stale.current  # type: ignore[assignment]
        if not already_saved(current, changes):
            return _document_conflict(request, case, form, current)
    except ValidationError as error:
        errors_into(form, error)
        return _document_page(request, case, document, form, status=invalid_status(request))
    except PermissionDenied:
        raise Http404 from None
    return post.changed(done=_("Identity document changed"))


def _document_conflict(
    request: HttpRequest, case: Case, form: IdentityDocumentEditForm, current: IdentityDocument
) -> HttpResponse:
    labels = {
        "type": (lambda doc: doc.get_type_display()),
        "number": (lambda doc: doc.number),
        "issuing_country": (lambda doc: iso.country_name(doc.issuing_country) if doc.issuing_country else ""),
        "held_by": (lambda doc: doc.get_held_by_display()),
    }
    mine = IdentityDocument(**{name: form.cleaned_data[name] for name in subrecords.DOCUMENT_FIELDS})
    rows = [
        {"label": form.fields[name].label, "yours": show(mine), "current": show(current)}
        for name, show in labels.items()
    ]
    retry = {name: form.cleaned_data[name] for name in subrecords.DOCUMENT_FIELDS}
    retry["version"] = current.version
    return render_conflict(
        request,
        title=str(_("The identity document was changed while you were editing it")),
        rows=rows,
        retry_action=reverse("cases:person_document_edit", args=[case.reference, current.pk]),
        retry_fields=retry,
        back_url=_section_url(case),
    )
