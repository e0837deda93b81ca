"""Case record API routes, included under /api/v1/."""

from palermo.cases.api import cases as cases_api
from palermo.cases.api import consent as consent_api
from palermo.cases.api import contact as contact_api
from palermo.cases.api import documents as documents_api
from palermo.cases.api import intake as intake_api
from palermo.cases.api import lifecycle as lifecycle_api
from palermo.cases.api import notes as notes_api
from palermo.cases.api import person as person_api
from palermo.cases.api import timeline as timeline_api
from palermo.core.routes import CASE, routes

urlpatterns: list = routes(
    "",
    [
        ("cases/", cases_api.CaseList, "api-cases"),
        ("cases/mine/", cases_api.MyCaseList, "api-cases-mine"),
        ("cases/search/", cases_api.CaseSearch, "api-cases-search"),
        ("intake/drafts/", intake_api.DraftList, "api-intake-drafts"),
        ("intake/drafts/<int:draft_id>/", intake_api.DraftDetail, "api-intake-draft"),
        ("intake/drafts/<int:draft_id>/submit/", intake_api.DraftSubmit, "api-intake-draft-submit"),
        ("intake/referrals/", intake_api.ReferralSubmit, "api-intake-referrals"),
        ("intake/duplicates/", intake_api.DuplicateCheck, "api-intake-duplicates"),
        (
            "intake/identification-agencies/",
            intake_api.IdentificationAgencyList,
            "api-intake-identification-agencies",
        ),
    ],
)

# One case by reference. A one-segment route under cases/ added after these would be taken for a reference:
# add new fixed routes above this block.
urlpatterns += routes(
    CASE,
    [
        ("", cases_api.CaseDetail, "api-case"),
        ("transition/", lifecycle_api.CaseTransition, "api-case-transition"),
        ("exploitation/", lifecycle_api.CaseExploitation, "api-case-exploitation"),
        ("lead/", lifecycle_api.CaseLeadTransfer, "api-case-lead"),
        ("timeline/", timeline_api.Timeline, "api-case-timeline"),
        ("notes/", notes_api.NoteList, "api-case-notes"),
        ("notes/<int:note_id>/", notes_api.NoteDetail, "api-case-note"),
        ("documents/", documents_api.DocumentList, "api-case-documents"),
        ("documents/<int:document_id>/", documents_api.DocumentDetail, "api-case-document"),
        (
            "documents/<int:document_id>/download/",
            documents_api.DocumentDownload,
            "api-case-document-download",
        ),
        (
            "documents/<int:document_id>/withdraw/",
            documents_api.DocumentWithdraw,
            "api-case-document-withdraw",
        ),
        ("persons/", person_api.PersonList, "api-case-persons"),
        ("contact-channel/", contact_api.ContactChannel, "api-case-contact-channel"),
        ("persons/<int:person_id>/", person_api.PersonDetail, "api-case-person"),
        ("persons/<int:person_id>/aliases/", person_api.AliasList, "api-case-person-aliases"),
        ("aliases/<int:alias_id>/", person_api.AliasDetail, "api-case-alias"),
        ("persons/<int:person_id>/citizenships/", person_api.CitizenshipList, "api-case-person-citizenships"),
        ("citizenships/<int:citizenship_id>/", person_api.CitizenshipDetail, "api-case-citizenship"),
        ("persons/<int:person_id>/languages/", person_api.LanguageList, "api-case-person-languages"),
        ("languages/<int:language_id>/", person_api.LanguageDetail, "api-case-language"),
        (
            "persons/<int:person_id>/identity-documents/",
            person_api.IdentityDocumentList,
            "api-case-person-identity-documents",
        ),
        (
            "identity-documents/<int:document_id>/",
            person_api.IdentityDocumentDetail,
            "api-case-identity-document",
        ),
        ("consents/", consent_api.ConsentList, "api-case-consents"),
        ("consents/check/", consent_api.ConsentCheck, "api-case-consent-check"),
        ("consents/<int:consent_id>/withdraw/", consent_api.ConsentWithdraw, "api-case-consent-withdraw"),
    ],
)
