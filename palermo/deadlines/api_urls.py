"""Deadline API routes, included under /api/v1/deadlines/."""

from django.urls import path

from palermo.deadlines import api

urlpatterns: list = [
    path("", api.DeadlineList.as_view(), name="api-deadlines"),
    path("<int:pk>/done/", api.DeadlineMarkDone.as_view(), name="api-deadline-mark-done"),
]
