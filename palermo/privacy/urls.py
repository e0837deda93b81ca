from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.roles import Role
from palermo.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.find, name="find"),
    path("holds/", views.holds, name="holds"),
    path("cases/<str:reference>/", views.case_page, name="case"),
    path("cases/<str:reference>/hold/", views.hold_place, name="hold"),
    path("cases/<str:reference>/hold/lift/", views.hold_lift, name="lift"),
    path("cases/<str:reference>/erase/", views.erase, name="erase"),
    path("cases/<str:reference>/export.json", views.export, {"kind": "json"}, name="export_json"),
    path("cases/<str:reference>/export.pdf", views.export, {"kind": "pdf"}, name="export_pdf"),
]

register(NavItem(_("Data protection"), "privacy:find", frozenset({Role.DATA_PROTECTION_OFFICER})))
