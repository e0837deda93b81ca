"""Deadline API routes, included under /api/v1/deadlines/."""

from django.urls import path

from palermo.deadlines import api

urlpatterns: list = [
    path("", api.DeadlineList.as_view(), name="api-deadlines"),
    path("counts/", api.DeadlineCounts.as_view(), name="api-deadline-counts"),
    path("by-case/", api.DeadlineCases.as_view(), name="api-deadline-cases"),
    path("<int:pk>/done/", api.DeadlineMarkDone.as_view(), name="api-deadline-mark-done"),
]
