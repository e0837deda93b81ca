"""Residence API routes, included under /api/v1/residence/."""

from palermo.core.routes import CASE, routes
from palermo.residence.api import views

urlpatterns: list = routes(
    CASE,
    [
        ("applications/", views.ApplicationList, "api-residence-applications"),
        ("applications/<int:pk>/", views.ApplicationDetail, "api-residence-application"),
        ("applications/<int:pk>/decision/", views.ApplicationDecision, "api-residence-decision"),
        ("applications/<int:pk>/appeal/", views.ApplicationAppeal, "api-residence-appeal"),
        ("applications/<int:pk>/withdraw/", views.ApplicationWithdraw, "api-residence-withdraw"),
        ("applications/<int:pk>/assessment/", views.ApplicationAssessment, "api-residence-assessment"),
        ("permits/", views.PermitList, "api-residence-permits"),
        ("status/", views.StatusTimeline, "api-residence-status"),
    ],
)
