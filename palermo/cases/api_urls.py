"""Case record API routes, included under /api/v1/."""

from django.urls import path

from palermo.cases.api import cases as cases_api
from palermo.cases.api import documents as documents_api
from palermo.cases.api import lifecycle as lifecycle_api
from palermo.cases.api import notes as notes_api
from palermo.cases.api import timeline as timeline_api

urlpatterns: list = [
    path("cases/", cases_api.CaseList.as_view(), name="api-cases"),
    path("cases/mine/", cases_api.MyCaseList.as_view(), name="api-cases-mine"),
]

# One case by reference. A one-segment route under cases/ added after these would be taken for a reference:
# add new fixed routes above this block.
urlpatterns += [
    path("cases/<str:reference>/", cases_api.CaseDetail.as_view(), name="api-case"),
    path(
        "cases/<str:reference>/transition/",
        lifecycle_api.CaseTransition.as_view(),
        name="api-case-transition",
    ),
    path(
        "cases/<str:reference>/exploitation/",
        lifecycle_api.CaseExploitation.as_view(),
        name="api-case-exploitation",
    ),
    path("cases/<str:reference>/timeline/", timeline_api.Timeline.as_view(), name="api-case-timeline"),
    path("cases/<str:reference>/notes/", notes_api.NoteList.as_view(), name="api-case-notes"),
    path(
        "cases/<str:reference>/notes/<int:note_id>/",
        notes_api.NoteDetail.as_view(),
        name="api-case-note",
    ),
    path(
        "cases/<str:reference>/documents/",
        documents_api.DocumentList.as_view(),
        name="api-case-documents",
    ),
    path(
        "cases/<str:reference>/documents/<int:document_id>/",
        documents_api.DocumentDetail.as_view(),
        name="api-case-document",
    ),
    path(
        "cases/<str:reference>/documents/<int:document_id>/download/",
        documents_api.DocumentDownload.as_view(),
        name="api-case-document-download",
    ),
]
