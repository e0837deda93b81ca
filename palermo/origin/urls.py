"""Country-of-origin information screens: the base, partners, import and export, and citations in decisions
(by decision kind and id; no personal data in any URL)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.origin.views import citations, entries, partners, transfer
from palermo.origin.web import ORIGIN_ROLES

app_name = "origin"
urlpatterns: list = [
    path("", entries.entries, name="entries"),
    path("entries/new/", entries.entry_new, name="entry_new"),
    path("entries/import/", transfer.import_view, name="import"),
    path("entries/export/", transfer.export_view, name="export"),
    path("entries/<int:entry_id>/", entries.entry_detail, name="entry"),
    path("entries/<int:entry_id>/edit/", entries.entry_edit, name="entry_edit"),
    path("entries/<int:entry_id>/review/", entries.entry_review_view, name="entry_review"),
    path("entries/<int:entry_id>/out-of-date/", entries.entry_out_of_date_view, name="entry_out_of_date"),
    path("entries/<int:entry_id>/file/", entries.entry_file, name="entry_file"),
    path("partners/", partners.partners, name="partners"),
    path("partners/new/", partners.partner_new, name="partner_new"),
    path("partners/<int:partner_id>/", partners.partner_detail, name="partner"),
    path("partners/<int:partner_id>/edit/", partners.partner_edit, name="partner_edit"),
    path("citations/<str:kind>/<int:decision_id>/", citations.citations, name="citations"),
    path("citations/<str:kind>/<int:decision_id>/cite/", citations.cite, name="cite"),
    path("citations/<str:kind>/<int:decision_id>/remove/", citations.uncite, name="uncite"),
]

register(NavItem(_("Country information"), "origin:entries", frozenset(ORIGIN_ROLES)))
