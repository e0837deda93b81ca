"""Identification API routes, included under /api/v1/identification/."""

from palermo.core.routes import CASE, routes
from palermo.identification.api import decisions, instruments, legal, screenings

urlpatterns = routes(
    "",
    [
        ("instruments/", instruments.InstrumentList, "api-identification-instruments"),
        ("instruments/install/", instruments.InstrumentInstall, "api-identification-instrument-install"),
        ("instruments/<int:instrument_id>/", instruments.InstrumentDetail, "api-identification-instrument"),
        ("evaluate/", instruments.Evaluate, "api-identification-evaluate"),
    ],
) + routes(
    CASE,
    [
        ("screenings/", screenings.ScreeningListCreate, "api-identification-screenings"),
        ("screenings/<int:screening_id>/", screenings.ScreeningDetail, "api-identification-screening"),
        (
            "screenings/<int:screening_id>/answers/",
            screenings.ScreeningAnswers,
            "api-identification-screening-answers",
        ),
        (
            "screenings/<int:screening_id>/complete/",
            screenings.ScreeningComplete,
            "api-identification-screening-complete",
        ),
    ],
)

urlpatterns += routes(
    "",
    [
        ("decisions/awaiting/", decisions.AwaitingList, "api-identification-awaiting"),
    ],
) + routes(
    CASE,
    [
        ("legal-elements/", legal.LegalElementsView, "api-identification-legal-elements"),
        ("exploitation-period/", legal.ExploitationPeriodView, "api-identification-exploitation-period"),
        ("differentiations/", legal.DifferentiationList, "api-identification-differentiations"),
        ("age-assessments/", legal.AgeAssessmentList, "api-identification-age-assessments"),
        ("decisions/", decisions.CaseDecisions, "api-identification-decisions"),
        (
            "decisions/<int:decision_id>/reviews/",
            decisions.DecisionReview,
            "api-identification-decision-review",
        ),
        (
            "decisions/<int:decision_id>/review-requests/",
            decisions.DecisionReviewRequest,
            "api-identification-decision-review-request",
        ),
    ],
)
