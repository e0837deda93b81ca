from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.roles import Role
from palermo.audit import views
from palermo.core.routes import routes

app_name = "audit"
urlpatterns = routes(
    "",
    [
        ("", views.event_list, "events"),
        ("export.csv", views.event_export, "export"),
    ],
)

register(NavItem(_("Audit log"), "audit:events", frozenset({Role.DATA_PROTECTION_OFFICER})))
