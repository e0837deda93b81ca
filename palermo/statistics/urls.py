"""The rapporteur's statistics pages (no personal data in any URL: table keys and filters only)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.statistics import views
from palermo.statistics.web import STATISTICS_ROLES, home_panel

app_name = "statistics"
urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:key>.<str:format>", views.table_download, name="download"),
    path("compliance/", views.compliance, name="compliance"),
    path("law/", views.law_against_the_paper, name="law"),
    path("releases/", views.releases, name="releases"),
    path("releases/<int:release_id>/", views.release_detail, name="release"),
    path("eurostat/", views.eurostat, name="eurostat"),
]

register(NavItem(_("National statistics"), "statistics:dashboard", frozenset(STATISTICS_ROLES)))
register_panel(
    HomePanel(
        "statistics.dashboard",
        frozenset(STATISTICS_ROLES),
        "statistics/home_panel.html",
        home_panel,
        order=10,
    )
)
