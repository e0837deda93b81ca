"""Children API routes, included under /api/v1/children/. Case references and record ids only."""

from django.urls import path

from palermo.children.api import views

CASE = "cases/<str:reference>"
urlpatterns: list = [
    path(f"{CASE}/guardianship/", views.GuardianshipView.as_view(), name="api-children-guardianship"),
    path(
        f"{CASE}/guardianship/<int:pk>/end/",
        views.GuardianshipEndView.as_view(),
        name="api-children-guardianship-end",
    ),
    path(f"{CASE}/representative/", views.RepresentativeView.as_view(), name="api-children-representative"),
    path(f"{CASE}/best-interest/", views.BestInterestView.as_view(), name="api-children-best-interest"),
    path(f"{CASE}/tracing/", views.TracingView.as_view(), name="api-children-tracing"),
    path(
        f"{CASE}/tracing/<int:pk>/result/",
        views.TracingResultView.as_view(),
        name="api-children-tracing-result",
    ),
    path(f"{CASE}/family-contacts/", views.FamilyContactView.as_view(), name="api-children-contacts"),
    path(
        f"{CASE}/family-assessments/", views.FamilyAssessmentView.as_view(), name="api-children-assessments"
    ),
    path(f"{CASE}/care/", views.CareView.as_view(), name="api-children-care"),
    path(f"{CASE}/care/<int:pk>/reviews/", views.CareReviewView.as_view(), name="api-children-care-review"),
    path(f"{CASE}/legal-status/", views.LegalStatusView.as_view(), name="api-children-legal-status"),
    path(f"{CASE}/solutions/", views.SolutionView.as_view(), name="api-children-solutions"),
    path(f"{CASE}/solutions/<int:pk>/return/", views.ReturnView.as_view(), name="api-children-return"),
    path(f"{CASE}/followups/<int:pk>/", views.FollowUpView.as_view(), name="api-children-followup"),
]
