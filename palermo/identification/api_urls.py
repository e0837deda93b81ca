"""Identification API routes, included under /api/v1/identification/."""

from django.urls import path

from palermo.identification import api

urlpatterns = [
    path("instruments/", api.InstrumentList.as_view(), name="api-identification-instruments"),
    path(
        "instruments/<int:instrument_id>/",
        api.InstrumentDetail.as_view(),
        name="api-identification-instrument",
    ),
    path("evaluate/", api.Evaluate.as_view(), name="api-identification-evaluate"),
    path(
        "cases/<str:reference>/screenings/",
        api.ScreeningListCreate.as_view(),
        name="api-identification-screenings",
    ),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/",
        api.ScreeningDetail.as_view(),
        name="api-identification-screening",
    ),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/answers/",
        api.ScreeningAnswers.as_view(),
        name="api-identification-screening-answers",
    ),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/complete/",
        api.ScreeningComplete.as_view(),
        name="api-identification-screening-complete",
    ),
]
