"""Reflection period API routes, included under /api/v1/reflection/."""

from palermo.core.routes import CASE, routes
from palermo.reflection.api import lookup, periods

urlpatterns: list = routes(
    "",
    [
        ("lookup/", lookup.RemovalLookup, "api-reflection-lookup"),
    ],
) + routes(
    CASE,
    [
        ("period/", periods.PeriodDetail, "api-reflection-period"),
        ("period/extensions/", periods.PeriodExtend, "api-reflection-extend"),
        ("period/end/", periods.PeriodEndEarly, "api-reflection-end"),
        ("period/entitlements/", periods.EntitlementList, "api-reflection-entitlements"),
        ("period/entitlements/<slug:kind>/", periods.EntitlementDetail, "api-reflection-entitlement"),
    ],
)
