"""Residence API routes, included under /api/v1/residence/."""

from django.urls import path

from palermo.residence.api import views

urlpatterns: list = [
    path(
        "cases/<str:reference>/applications/",
        views.ApplicationList.as_view(),
        name="api-residence-applications",
    ),
    path(
        "cases/<str:reference>/applications/<int:pk>/",
        views.ApplicationDetail.as_view(),
        name="api-residence-application",
    ),
    path(
        "cases/<str:reference>/applications/<int:pk>/decision/",
        views.ApplicationDecision.as_view(),
        name="api-residence-decision",
    ),
    path(
        "cases/<str:reference>/applications/<int:pk>/appeal/",
        views.ApplicationAppeal.as_view(),
        name="api-residence-appeal",
    ),
    path(
        "cases/<str:reference>/applications/<int:pk>/withdraw/",
        views.ApplicationWithdraw.as_view(),
        name="api-residence-withdraw",
    ),
    path(
        "cases/<str:reference>/applications/<int:pk>/assessment/",
        views.ApplicationAssessment.as_view(),
        name="api-residence-assessment",
    ),
    path("cases/<str:reference>/permits/", views.PermitList.as_view(), name="api-residence-permits"),
    path("cases/<str:reference>/status/", views.StatusTimeline.as_view(), name="api-residence-status"),
]
