"""Reflection period API routes, included under /api/v1/reflection/."""

from django.urls import path

from palermo.reflection.api import lookup, periods

urlpatterns: list = [
    path("lookup/", lookup.RemovalLookup.as_view(), name="api-reflection-lookup"),
    path("cases/<str:reference>/period/", periods.PeriodDetail.as_view(), name="api-reflection-period"),
    path(
        "cases/<str:reference>/period/extensions/",
        periods.PeriodExtend.as_view(),
        name="api-reflection-extend",
    ),
    path("cases/<str:reference>/period/end/", periods.PeriodEndEarly.as_view(), name="api-reflection-end"),
    path(
        "cases/<str:reference>/period/entitlements/",
        periods.EntitlementList.as_view(),
        name="api-reflection-entitlements",
    ),
    path(
        "cases/<str:reference>/period/entitlements/<slug:kind>/",
        periods.EntitlementDetail.as_view(),
        name="api-reflection-entitlement",
    ),
]
