"""Children API routes, included under /api/v1/children/. Case references and record ids only."""

from palermo.children.api import views
from palermo.core.routes import CASE, routes

urlpatterns: list = routes(
    CASE,
    [
        ("guardianship/", views.GuardianshipView, "api-children-guardianship"),
        ("guardianship/<int:pk>/end/", views.GuardianshipEndView, "api-children-guardianship-end"),
        ("representative/", views.RepresentativeView, "api-children-representative"),
        ("best-interest/", views.BestInterestView, "api-children-best-interest"),
        ("tracing/", views.TracingView, "api-children-tracing"),
        ("tracing/<int:pk>/result/", views.TracingResultView, "api-children-tracing-result"),
        ("family-contacts/", views.FamilyContactView, "api-children-contacts"),
        ("family-assessments/", views.FamilyAssessmentView, "api-children-assessments"),
        ("care/", views.CareView, "api-children-care"),
        ("care/<int:pk>/reviews/", views.CareReviewView, "api-children-care-review"),
        ("legal-status/", views.LegalStatusView, "api-children-legal-status"),
        ("solutions/", views.SolutionView, "api-children-solutions"),
        ("solutions/<int:pk>/return/", views.ReturnView, "api-children-return"),
        ("followups/<int:pk>/", views.FollowUpView, "api-children-followup"),
    ],
)
