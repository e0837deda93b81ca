"""Access screens. URLs carry case references and ids only, never personal data."""

from django.utils.translation import gettext_lazy as _

from palermo.access import views
from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.accounts.roles import Role
from palermo.core.routes import CASE, routes

app_name = "access"
urlpatterns = routes(
    "",
    [
        ("break-glass/", views.break_glass, "break_glass"),
        ("break-glass/review/", views.break_glass_report, "break_glass_report"),
        ("break-glass/review/<int:grant_id>/", views.break_glass_review, "break_glass_review"),
    ],
) + routes(
    CASE,
    [
        ("team/", views.case_team, "case_team"),
    ],
)

register(NavItem(_("Emergency access"), "access:break_glass", frozenset(views.BREAK_GLASS_ROLES)))
register(
    NavItem(
        _("Emergency access review"), "access:break_glass_report", frozenset({Role.DATA_PROTECTION_OFFICER})
    )
)
register_panel(
    HomePanel(
        "access.review",
        frozenset({Role.DATA_PROTECTION_OFFICER}),
        "access/home_panel.html",
        views.review_panel,
        order=10,
    )
)
