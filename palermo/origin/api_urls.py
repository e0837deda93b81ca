"""Origin API routes, included under /api/v1/origin/."""

from palermo.core.routes import routes
from palermo.origin.api import views

urlpatterns: list = routes(
    "",
    [
        ("entries/", views.EntryList, "api-origin-entries"),
        ("entries/import/", views.EntryImport, "api-origin-import"),
        ("entries/export/", views.EntryExport, "api-origin-export"),
        ("entries/<int:entry_id>/", views.EntryDetail, "api-origin-entry"),
        ("entries/<int:entry_id>/review/", views.EntryReview, "api-origin-entry-review"),
        ("entries/<int:entry_id>/out-of-date/", views.EntryOutOfDate, "api-origin-entry-out-of-date"),
        ("entries/<int:entry_id>/source-file/", views.EntrySourceFile, "api-origin-entry-file"),
        ("partners/", views.PartnerList, "api-origin-partners"),
        ("partners/<int:partner_id>/", views.PartnerDetail, "api-origin-partner"),
        ("citations/<str:kind>/<int:decision_id>/", views.CitationList, "api-origin-citations"),
        (
            "citations/<str:kind>/<int:decision_id>/<int:citation_id>/",
            views.CitationDetail,
            "api-origin-citation",
        ),
    ],
)
