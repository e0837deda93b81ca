"""Exchange API routes, included under /api/v1/exchange/."""

from django.urls import path

from palermo.exchange import api

urlpatterns: list = [
    path("imports/", api.Imports.as_view(), name="api-exchange-imports"),
    path("imports/<int:job_id>/", api.ImportDetail.as_view(), name="api-exchange-import"),
    path("exports/<slug:kind>/", api.Export.as_view(), name="api-exchange-export"),
]
