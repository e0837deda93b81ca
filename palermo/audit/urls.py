from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.roles import Role
from palermo.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.csv", views.event_export, name="export"),
]

register(NavItem(_("Audit log"), "audit:events", frozenset({Role.DATA_PROTECTION_OFFICER})))
