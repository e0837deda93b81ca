"""Statistics API routes, included under /api/v1/statistics/."""

from django.urls import path

from palermo.statistics import api

urlpatterns: list = [
    path("", api.DashboardView.as_view(), name="api-statistics"),
    path("tables/<slug:key>/", api.TableView.as_view(), name="api-statistics-table"),
    path("compliance/", api.ComplianceView.as_view(), name="api-statistics-compliance"),
    path("law/", api.LawView.as_view(), name="api-statistics-law"),
    path("releases/", api.ReleaseList.as_view(), name="api-statistics-releases"),
    path("releases/<int:pk>/", api.ReleaseDetail.as_view(), name="api-statistics-release"),
    path("eurostat/", api.EurostatExport.as_view(), name="api-statistics-eurostat"),
]
