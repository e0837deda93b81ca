"""Case record URLs. Case references never appear with personal data; no personal data in any URL."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.cases.views import cases, documents, lifecycle, notes, timeline
from palermo.cases.views.cases import CASE_ROLES
from palermo.core.navigation import NavItem, register

app_name = "cases"
urlpatterns: list = [
    path("", cases.case_list, name="mine"),
    path("search/", cases.case_search, name="search"),
]

# Case pages by reference. A one-segment route added after these would be taken for a reference: add new
# fixed routes above this block.
urlpatterns += [
    path("<str:reference>/", cases.case_detail, name="detail"),
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
]

register(NavItem(_("My cases"), "cases:mine", frozenset(CASE_ROLES)))
register(NavItem(_("Search cases"), "cases:search", frozenset(CASE_ROLES)))
