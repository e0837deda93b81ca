"""Identification screens. Case references only in URLs, never personal data."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.declare import ANY_MEMBER
from palermo.access.navigation import NavItem, register
from palermo.identification.roles import DECIDERS
from palermo.identification.views import case, decisions, instruments, legal, screenings

app_name = "identification"
urlpatterns = [
    path("instruments/", instruments.instrument_list, name="instruments"),
    path("instruments/<int:instrument_id>/", instruments.instrument_detail, name="instrument"),
    path("decisions/", decisions.awaiting_list, name="awaiting"),
    path("cases/<str:reference>/", case.case_overview, name="case"),
    path("cases/<str:reference>/screenings/", screenings.screening_list, name="screenings"),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/", screenings.screening_detail, name="screening"
    ),
    path("cases/<str:reference>/legal/", legal.legal_page, name="legal"),
    path("cases/<str:reference>/decisions/", decisions.decision_list, name="decisions"),
    path(
        "cases/<str:reference>/decisions/<int:decision_id>/review/",
        decisions.decision_review_page,
        name="decision_review",
    ),
]

register(NavItem(_("Decisions due"), "identification:awaiting", DECIDERS))
register(NavItem(_("Indicator lists"), "identification:instruments", ANY_MEMBER))
