"""Anonymous notifications' pages. Record ids only in URLs."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.anonymous import views
from palermo.cases.services.intake import INTAKE_ROLES
from palermo.core.routes import routes

app_name = "anonymous"
urlpatterns: list = routes(
    "",
    [
        ("", views.notification_list, "list"),
        ("new/", views.notification_new, "new"),
        ("figures/", views.notification_figures, "figures"),
        ("<int:pk>/", views.notification_detail, "detail"),
        ("<int:pk>/refer/", views.notification_convert, "convert"),
    ],
)

register(NavItem(_("Declined referrals"), "anonymous:list", frozenset(INTAKE_ROLES)))
