"""The deadline screens, their entry in the navigation and their panel on the home page, for the roles that
work on cases."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.cases.web import CASE_ROLES
from palermo.core.routes import routes
from palermo.deadlines import views

app_name = "deadlines"
urlpatterns: list = routes(
    "",
    [
        ("", views.due_list, "due"),
        ("<int:pk>/done/", views.mark_done, "mark_done"),
    ],
)

register(NavItem(_("Due and overdue"), "deadlines:due", frozenset(CASE_ROLES)))
register_panel(
    HomePanel("deadlines.due", frozenset(CASE_ROLES), "deadlines/home_panel.html", views.due_panel, order=20)
)
