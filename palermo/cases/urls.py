"""Case record URLs. Case references never appear with personal data; no personal data in any URL."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.cases.views import (
    case_forms,
    cases,
    consent,
    contact,
    documents,
    intake,
    lifecycle,
    notes,
    person,
    search,
    timeline,
)
from palermo.cases.web import CASE_ROLES

app_name = "cases"
urlpatterns: list = [
    path("", cases.case_list, name="mine"),
    path("search/", search.case_search, name="search"),
    path("intake/", intake.intake_new, name="intake"),
    path("intake/drafts/", intake.intake_drafts, name="intake_drafts"),
    path("intake/drafts/<int:draft_id>/", intake.intake_edit, name="intake_edit"),
    path("intake/drafts/<int:draft_id>/discard/", intake.intake_discard, name="intake_discard"),
    path("intake/duplicates/", intake.intake_duplicates, name="intake_duplicates"),
]

# Case pages by reference. A one-segment route added after these would be taken for a reference: add new
# fixed routes above this block.
urlpatterns += [
    path("<str:reference>/", cases.case_detail, name="detail"),
    path("<str:reference>/all/", cases.case_detail_full, name="detail_full"),
    path("<str:reference>/sections/", cases.case_sections, name="sections"),
    path("<str:reference>/sections/<slug:area>/", cases.case_section, name="section"),
    path("<str:reference>/forms/<slug:name>/", case_forms.case_form, name="form"),
    path("<str:reference>/forms/<slug:name>/<int:target>/", case_forms.case_form, name="form_for"),
    path("<str:reference>/lifecycle/", lifecycle.lifecycle_section, name="lifecycle"),
    path("<str:reference>/lifecycle/transition/", lifecycle.transition, name="transition"),
    path("<str:reference>/lifecycle/exploitation/", lifecycle.exploitation_edit, name="exploitation"),
    path("<str:reference>/timeline/", timeline.timeline_section, name="timeline"),
    path("<str:reference>/notes/", notes.notes_section, name="notes"),
    path("<str:reference>/notes/<int:note_id>/edit/", notes.note_edit, name="note_edit"),
    path("<str:reference>/documents/", documents.documents_section, name="documents"),
    path(
        "<str:reference>/documents/<int:document_id>/download/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "<str:reference>/documents/<int:document_id>/withdraw/",
        documents.document_withdraw,
        name="document_withdraw",
    ),
    path("<str:reference>/person/", person.person_section, name="person"),
    path("<str:reference>/person/contact/", contact.contact_channel_edit, name="contact_channel"),
    path("<str:reference>/person/<int:person_id>/edit/", person.person_edit, name="person_edit"),
    path("<str:reference>/person/<int:person_id>/aliases/", person.alias_add, name="person_alias_add"),
    path(
        "<str:reference>/person/aliases/<int:record_id>/remove/",
        person.alias_remove,
        name="person_alias_remove",
    ),
    path(
        "<str:reference>/person/<int:person_id>/citizenships/",
        person.citizenship_add,
        name="person_citizenship_add",
    ),
    path(
        "<str:reference>/person/citizenships/<int:record_id>/remove/",
        person.citizenship_remove,
        name="person_citizenship_remove",
    ),
    path(
        "<str:reference>/person/<int:person_id>/languages/", person.language_add, name="person_language_add"
    ),
    path(
        "<str:reference>/person/languages/<int:record_id>/",
        person.language_change,
        name="person_language_change",
    ),
    path(
        "<str:reference>/person/<int:person_id>/documents/", person.document_add, name="person_document_add"
    ),
    path(
        "<str:reference>/person/documents/<int:document_id>/edit/",
        person.document_edit,
        name="person_document_edit",
    ),
    path("<str:reference>/consent/", consent.consent_section, name="consent"),
    path(
        "<str:reference>/consent/<int:consent_id>/withdraw/",
        consent.consent_withdraw_view,
        name="consent_withdraw",
    ),
]

register(NavItem(_("My cases"), "cases:mine", frozenset(CASE_ROLES)))
register(NavItem(_("Search cases"), "cases:search", frozenset(CASE_ROLES)))
register(NavItem(_("New referral"), "cases:intake", frozenset(INTAKE_ROLES)))
register(NavItem(_("My drafts"), "cases:intake_drafts", frozenset(INTAKE_ROLES)))
