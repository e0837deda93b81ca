"""The data protection officer's API routes, included under /api/v1/privacy/ (palermo.privacy.api)."""

from palermo.core.routes import CASE, routes
from palermo.privacy import api

urlpatterns: list = routes(
    "",
    [
        ("due/", api.DueList, "api-privacy-due"),
        ("holds/", api.HoldList, "api-privacy-holds"),
        ("runs/", api.RunList, "api-privacy-runs"),
    ],
)
urlpatterns += routes(
    CASE,
    [
        ("", api.CaseStanding, "api-privacy-case"),
        ("export.<str:kind>", api.SubjectAccessExport, "api-privacy-export"),
        ("hold/", api.HoldPlace, "api-privacy-hold"),
        ("hold/lift/", api.HoldLift, "api-privacy-hold-lift"),
        ("erase/", api.Erase, "api-privacy-erase"),
    ],
)
