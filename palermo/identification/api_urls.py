"""Identification API routes, included under /api/v1/identification/."""

from django.urls import path

from palermo.identification.api import decisions, instruments, legal, screenings

urlpatterns = [
    path("instruments/", instruments.InstrumentList.as_view(), name="api-identification-instruments"),
    path(
        "instruments/<int:instrument_id>/",
        instruments.InstrumentDetail.as_view(),
        name="api-identification-instrument",
    ),
    path("evaluate/", instruments.Evaluate.as_view(), name="api-identification-evaluate"),
    path(
        "cases/<str:reference>/screenings/",
        screenings.ScreeningListCreate.as_view(),
        name="api-identification-screenings",
    ),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/",
        screenings.ScreeningDetail.as_view(),
        name="api-identification-screening",
    ),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/answers/",
        screenings.ScreeningAnswers.as_view(),
        name="api-identification-screening-answers",
    ),
    path(
        "cases/<str:reference>/screenings/<int:screening_id>/complete/",
        screenings.ScreeningComplete.as_view(),
        name="api-identification-screening-complete",
    ),
]

urlpatterns += [
    path("decisions/awaiting/", decisions.AwaitingList.as_view(), name="api-identification-awaiting"),
    path(
        "cases/<str:reference>/legal-elements/",
        legal.LegalElementsView.as_view(),
        name="api-identification-legal-elements",
    ),
    path(
        "cases/<str:reference>/exploitation-period/",
        legal.ExploitationPeriodView.as_view(),
        name="api-identification-exploitation-period",
    ),
    path(
        "cases/<str:reference>/differentiations/",
        legal.DifferentiationList.as_view(),
        name="api-identification-differentiations",
    ),
    path(
        "cases/<str:reference>/age-assessments/",
        legal.AgeAssessmentList.as_view(),
        name="api-identification-age-assessments",
    ),
    path(
        "cases/<str:reference>/decisions/",
        decisions.CaseDecisions.as_view(),
        name="api-identification-decisions",
    ),
    path(
        "cases/<str:reference>/decisions/<int:decision_id>/reviews/",
        decisions.DecisionReview.as_view(),
        name="api-identification-decision-review",
    ),
    path(
        "cases/<str:reference>/decisions/<int:decision_id>/review-requests/",
        decisions.DecisionReviewRequest.as_view(),
        name="api-identification-decision-review-request",
    ),
]
