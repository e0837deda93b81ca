"""Case record API routes, included under /api/v1/."""

from django.urls import path

from palermo.cases.api import cases as cases_api
from palermo.cases.api import consent as consent_api
from palermo.cases.api import contact as contact_api
from palermo.cases.api import documents as documents_api
from palermo.cases.api import intake as intake_api
from palermo.cases.api import lifecycle as lifecycle_api
from palermo.cases.api import notes as notes_api
from palermo.cases.api import person as person_api
from palermo.cases.api import timeline as timeline_api

urlpatterns: list = [
    path("cases/", cases_api.CaseList.as_view(), name="api-cases"),
    path("cases/mine/", cases_api.MyCaseList.as_view(), name="api-cases-mine"),
    path("cases/search/", cases_api.CaseSearch.as_view(), name="api-cases-search"),
    path("intake/drafts/", intake_api.DraftList.as_view(), name="api-intake-drafts"),
    path("intake/drafts/<int:draft_id>/", intake_api.DraftDetail.as_view(), name="api-intake-draft"),
    path(
        "intake/drafts/<int:draft_id>/submit/",
        intake_api.DraftSubmit.as_view(),
        name="api-intake-draft-submit",
    ),
    path("intake/referrals/", intake_api.ReferralSubmit.as_view(), name="api-intake-referrals"),
    path("intake/duplicates/", intake_api.DuplicateCheck.as_view(), name="api-intake-duplicates"),
    path(
        "intake/identification-agencies/",
        intake_api.IdentificationAgencyList.as_view(),
        name="api-intake-identification-agencies",
    ),
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
    path(
        "cases/<str:reference>/documents/<int:document_id>/withdraw/",
        documents_api.DocumentWithdraw.as_view(),
        name="api-case-document-withdraw",
    ),
    path("cases/<str:reference>/persons/", person_api.PersonList.as_view(), name="api-case-persons"),
    path(
        "cases/<str:reference>/contact-channel/",
        contact_api.ContactChannel.as_view(),
        name="api-case-contact-channel",
    ),
    path(
        "cases/<str:reference>/persons/<int:person_id>/",
        person_api.PersonDetail.as_view(),
        name="api-case-person",
    ),
    path(
        "cases/<str:reference>/persons/<int:person_id>/aliases/",
        person_api.AliasList.as_view(),
        name="api-case-person-aliases",
    ),
    path(
        "cases/<str:reference>/aliases/<int:alias_id>/",
        person_api.AliasDetail.as_view(),
        name="api-case-alias",
    ),
    path(
        "cases/<str:reference>/persons/<int:person_id>/citizenships/",
        person_api.CitizenshipList.as_view(),
        name="api-case-person-citizenships",
    ),
    path(
        "cases/<str:reference>/citizenships/<int:citizenship_id>/",
        person_api.CitizenshipDetail.as_view(),
        name="api-case-citizenship",
    ),
    path(
        "cases/<str:reference>/persons/<int:person_id>/languages/",
        person_api.LanguageList.as_view(),
        name="api-case-person-languages",
    ),
    path(
        "cases/<str:reference>/languages/<int:language_id>/",
        person_api.LanguageDetail.as_view(),
        name="api-case-language",
    ),
    path(
        "cases/<str:reference>/persons/<int:person_id>/identity-documents/",
        person_api.IdentityDocumentList.as_view(),
        name="api-case-person-identity-documents",
    ),
    path(
        "cases/<str:reference>/identity-documents/<int:document_id>/",
        person_api.IdentityDocumentDetail.as_view(),
        name="api-case-identity-document",
    ),
    path("cases/<str:reference>/consents/", consent_api.ConsentList.as_view(), name="api-case-consents"),
    path(
        "cases/<str:reference>/consents/check/",
        consent_api.ConsentCheck.as_view(),
        name="api-case-consent-check",
    ),
    path(
        "cases/<str:reference>/consents/<int:consent_id>/withdraw/",
        consent_api.ConsentWithdraw.as_view(),
        name="api-case-consent-withdraw",
    ),
]
