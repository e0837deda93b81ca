"""Case record URLs. Case references never appear with personal data; no personal data in any URL."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.accounts.roles import Role
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
    team,
    timeline,
)
from palermo.cases.web import CASE_ROLES
from palermo.core.routes import REFERENCE, routes

app_name = "cases"
urlpatterns: list = routes(
    "",
    [
        ("", cases.case_list, "mine"),
        ("search/", search.case_search, "search"),
        ("intake/", intake.intake_new, "intake"),
        ("intake/drafts/", intake.intake_drafts, "intake_drafts"),
        ("intake/drafts/<int:draft_id>/", intake.intake_edit, "intake_edit"),
        ("intake/drafts/<int:draft_id>/discard/", intake.intake_discard, "intake_discard"),
        ("intake/duplicates/", intake.intake_duplicates, "intake_duplicates"),
    ],
)

# Case pages by reference. A one-segment route added after these would be taken for a reference: add new
# fixed routes above this block.
urlpatterns += routes(
    REFERENCE,
    [
        ("", cases.case_detail, "detail"),
        ("all/", cases.case_detail_full, "detail_full"),
        ("sections/", cases.case_sections, "sections"),
        ("sections/<slug:area>/", cases.case_section, "section"),
        ("forms/<slug:name>/", case_forms.case_form, "form"),
        ("forms/<slug:name>/<int:target>/", case_forms.case_form, "form_for"),
        ("lifecycle/", lifecycle.lifecycle_section, "lifecycle"),
        ("lifecycle/transition/", lifecycle.transition, "transition"),
        ("lifecycle/exploitation/", lifecycle.exploitation_edit, "exploitation"),
        ("team/lead/", team.lead_transfer, "lead_transfer"),
        ("timeline/", timeline.timeline_section, "timeline"),
        ("notes/", notes.notes_section, "notes"),
        ("notes/<int:note_id>/edit/", notes.note_edit, "note_edit"),
        ("documents/", documents.documents_section, "documents"),
        ("documents/<int:document_id>/download/", documents.document_download, "document_download"),
        ("documents/<int:document_id>/withdraw/", documents.document_withdraw, "document_withdraw"),
        ("person/", person.person_section, "person"),
        ("person/contact/", contact.contact_channel_edit, "contact_channel"),
        ("person/<int:person_id>/edit/", person.person_edit, "person_edit"),
        ("person/<int:person_id>/aliases/", person.alias_add, "person_alias_add"),
        ("person/aliases/<int:record_id>/remove/", person.alias_remove, "person_alias_remove"),
        ("person/<int:person_id>/citizenships/", person.citizenship_add, "person_citizenship_add"),
        (
            "person/citizenships/<int:record_id>/remove/",
            person.citizenship_remove,
            "person_citizenship_remove",
        ),
        ("person/<int:person_id>/languages/", person.language_add, "person_language_add"),
        ("person/languages/<int:record_id>/", person.language_change, "person_language_change"),
        ("person/<int:person_id>/documents/", person.document_add, "person_document_add"),
        ("person/documents/<int:document_id>/edit/", person.document_edit, "person_document_edit"),
        ("consent/", consent.consent_section, "consent"),
        ("consent/<int:consent_id>/withdraw/", consent.consent_withdraw_view, "consent_withdraw"),
    ],
)

register(NavItem(_("My cases"), "cases:mine", frozenset(CASE_ROLES)))
register(NavItem(_("Search cases"), "cases:search", frozenset(CASE_ROLES)))
register(NavItem(_("New referral"), "cases:intake", frozenset(INTAKE_ROLES)))
register(NavItem(_("My drafts"), "cases:intake_drafts", frozenset(INTAKE_ROLES)))

# Every role working on cases but the identification authority, whose home page leads with the referrals
# awaiting its decision (palermo.identification), has the newest of its cases on its home page.
register_panel(
    HomePanel(
        "cases.new",
        frozenset(CASE_ROLES) - {Role.IDENTIFICATION_AUTHORITY},
        "cases/home_panel.html",
        cases.new_cases_panel,
        order=10,
    )
)
