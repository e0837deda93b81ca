"""Anonymous notifications' pages. Record ids only in URLs."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.anonymous import views
from palermo.cases.services.intake import INTAKE_ROLES

app_name = "anonymous"
urlpatterns: list = [
    path("", views.notification_list, name="list"),
    path("new/", views.notification_new, name="new"),
    path("figures/", views.notification_figures, name="figures"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/refer/", views.notification_convert, name="convert"),
]

register(NavItem(_("Declined referrals"), "anonymous:list", frozenset(INTAKE_ROLES)))
