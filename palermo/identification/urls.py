"""Identification screens. Case references only in URLs, never personal data."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import ANY_MEMBER
from palermo.core.navigation import NavItem, register
from palermo.identification.views import case, instruments, screenings

app_name = "identification"
urlpatterns = [
    path("instruments/", instruments.instrument_list, name="instruments"),
    path("instruments/<int:instrument_id>/", instruments.instrument_detail, name="instrument"),
    path("cases/<str:reference>/", case.case_overview, name="case"),
    path("cases/<str:reference>/screenings/", screenings.screening_list, name="screenings"),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/", screenings.screening_detail, name="screening"
    ),
]

register(NavItem(_("Indicator lists"), "identification:instruments", ANY_MEMBER))
