"""The portal's routes: the public pages under /help/<lang>/ (namespace "portal") and the duty workers'
pages under /portal/ (namespace "portal_staff"). Record ids only in URLs; no query string carries anything."""

from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.portal.services import DUTY_ROLES
from palermo.portal.views import public, staff
from palermo.portal.web import LanguageConverter

register_converter(LanguageConverter, "publiclang")

app_name = "portal"
urlpatterns: list = [
    path("", public.portal_root, name="root"),
    path("<publiclang:lang>/", public.home, name="home"),
    path("<publiclang:lang>/rights/", public.rights, name="rights"),
    path("<publiclang:lang>/check/", public.self_check, name="check"),
    path("<publiclang:lang>/next/", public.next_steps, name="next"),
    path("<publiclang:lang>/services/", public.get_help, name="help"),
    path("<publiclang:lang>/contact/", public.contact, name="contact"),
]

staff_urlpatterns: list = [
    path("", staff.request_list, name="list"),
    path("<int:pk>/", staff.request_detail, name="detail"),
]

register(NavItem(_("Contact requests"), "portal_staff:list", frozenset(DUTY_ROLES)))
