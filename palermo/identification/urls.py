"""Identification screens. Case references only in URLs, never personal data."""

from django.utils.translation import gettext_lazy as _

from palermo.access.declare import ANY_MEMBER
from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.core.routes import CASE, routes
from palermo.identification.roles import DECIDERS
from palermo.identification.views import case, decisions, instruments, legal, screenings

app_name = "identification"
urlpatterns = routes(
    "",
    [
        ("instruments/", instruments.instrument_list, "instruments"),
        ("instruments/new/", instruments.instrument_new, "instrument_new"),
        ("instruments/<int:instrument_id>/", instruments.instrument_detail, "instrument"),
        ("decisions/", decisions.awaiting_list, "awaiting"),
    ],
) + routes(
    CASE,
    [
        ("", case.case_overview, "case"),
        ("screenings/", screenings.screening_list, "screenings"),
        ("screenings/<int:screening_id>/", screenings.screening_detail, "screening"),
        ("screenings/<int:screening_id>/steps/<int:step>/", screenings.screening_step, "screening_step"),
        ("screenings/<int:screening_id>/check/", screenings.screening_check, "screening_check"),
        ("legal/", legal.legal_page, "legal"),
        ("decisions/", decisions.decision_list, "decisions"),
        ("decisions/<int:decision_id>/review/", decisions.decision_review_page, "decision_review"),
    ],
)

register(NavItem(_("Decisions due"), "identification:awaiting", DECIDERS))
register(NavItem(_("Indicator lists"), "identification:instruments", ANY_MEMBER))
register_panel(
    HomePanel(
        "identification.awaiting",
        DECIDERS,
        "identification/home_panel.html",
        decisions.awaiting_panel,
        order=10,
    )
)
