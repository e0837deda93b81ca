"""Residence screens: the case page section and each application's page. Case references and record ids only
in URLs."""

from palermo.core.routes import REFERENCE, routes
from palermo.residence.views import applications, section

app_name = "residence"
urlpatterns: list = routes(
    REFERENCE,
    [
        ("", section.residence_section, "section"),
        ("applications/<int:pk>/", applications.application_page, "application"),
        ("applications/<int:pk>/decision/", applications.decide_view, "decide"),
        ("applications/<int:pk>/appeal/", applications.appeal_view, "appeal"),
        ("applications/<int:pk>/withdraw/", applications.withdraw_view, "withdraw"),
        ("applications/<int:pk>/correct/", applications.correct_view, "correct"),
        ("applications/<int:pk>/assessment/", applications.assess_view, "assess"),
    ],
)
