"""Linkage API routes, included under /api/v1/linkage/."""

from django.urls import path

from palermo.linkage.api import duplicates, partner_admin, partners, search

urlpatterns: list = [
    path("search/", search.PersonSearch.as_view(), name="api-linkage-search"),
    path("runs/", duplicates.Runs.as_view(), name="api-linkage-runs"),
    path("candidates/", duplicates.CandidateList.as_view(), name="api-linkage-candidates"),
    path(
        "candidates/<int:candidate_id>/", duplicates.CandidateDetail.as_view(), name="api-linkage-candidate"
    ),
    path(
        "candidates/<int:candidate_id>/decision/",
        duplicates.CandidateDecision.as_view(),
        name="api-linkage-decision",
    ),
    path("merges/", duplicates.MergeList.as_view(), name="api-linkage-merges"),
    path("merges/<int:merge_id>/undo/", duplicates.MergeUndo.as_view(), name="api-linkage-unmerge"),
    path("partners/question/", partners.PartnerQuestion.as_view(), name="api-linkage-partner-question"),
    path("partners/ask/", partners.AskPartner.as_view(), name="api-linkage-partner-ask"),
    path("partners/", partner_admin.PartnerNRMList.as_view(), name="api-linkage-partners"),
    path("partners/<int:partner_id>/", partner_admin.PartnerNRMDetail.as_view(), name="api-linkage-partner"),
    path(
        "partners/<int:partner_id>/rotate/",
        partner_admin.PartnerNRMRotate.as_view(),
        name="api-linkage-partner-rotate",
    ),
    path(
        "partners/<int:partner_id>/deactivate/",
        partner_admin.PartnerNRMDeactivate.as_view(),
        name="api-linkage-partner-deactivate",
    ),
]
