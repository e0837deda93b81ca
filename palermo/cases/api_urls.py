"""Case record API routes, included under /api/v1/."""

from django.urls import path  # noqa: F401  (areas add their routes below)

urlpatterns: list = []
