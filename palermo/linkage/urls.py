"""Linkage screens: the tolerant person search, the duplicate review, matching across borders and the
partner NRMs' registration. What is searched travels in the POST body; URLs carry only ids."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.core.routes import routes
from palermo.linkage.services.duplicates import REVIEWERS
from palermo.linkage.services.partners import PARTNER_ADMINISTRATORS
from palermo.linkage.views import duplicates, partner_admin, partners, search
from palermo.linkage.web import SEARCH_ROLES

app_name = "linkage"
urlpatterns: list = routes(
    "",
    [
        ("search/", search.person_search_view, "search"),
        ("duplicates/", duplicates.duplicate_queue, "queue"),
        ("duplicates/run/", duplicates.run_progress, "run"),
        ("duplicates/<int:candidate_id>/", duplicates.candidate_review, "review"),
        ("merges/<int:merge_id>/undo/", duplicates.merge_undo, "unmerge"),
        ("partners/", partners.partner_questions, "partners"),
    ],
) + routes(
    "partners/registered/",
    [
        ("", partner_admin.partner_list, "partner_admin"),
        ("new/", partner_admin.partner_new, "partner_admin_new"),
        ("<int:partner_id>/", partner_admin.partner_detail, "partner_admin_detail"),
        ("<int:partner_id>/rotate/", partner_admin.rotate, "partner_admin_rotate"),
        ("<int:partner_id>/deactivate/", partner_admin.deactivate, "partner_admin_deactivate"),
    ],
)

register(NavItem(_("Find a person"), "linkage:search", frozenset(SEARCH_ROLES)))
register(NavItem(_("Possible duplicates"), "linkage:queue", frozenset(REVIEWERS)))
register(NavItem(_("Matching across borders"), "linkage:partners", frozenset(REVIEWERS)))
register(NavItem(_("Partner NRMs"), "linkage:partner_admin", frozenset(PARTNER_ADMINISTRATORS)))
