"""Assistance API routes, included under /api/v1/assistance/."""

from django.urls import path

from palermo.assistance.api import case, directory, provider

urlpatterns: list = [
    path("services/", directory.ServiceList.as_view(), name="api-assistance-services"),
    path("services/<int:service_id>/", directory.ServiceDetail.as_view(), name="api-assistance-service"),
    path(
        "provider/referrals/",
        provider.ProviderReferralList.as_view(),
        name="api-assistance-provider-referrals",
    ),
    path(
        "provider/referrals/<int:referral_id>/",
        provider.ProviderReferralDetail.as_view(),
        name="api-assistance-provider-referral",
    ),
    path(
        "provider/referrals/<int:referral_id>/accept/",
        provider.ProviderReferralAccept.as_view(),
        name="api-assistance-provider-accept",
    ),
    path(
        "provider/referrals/<int:referral_id>/decline/",
        provider.ProviderReferralDecline.as_view(),
        name="api-assistance-provider-decline",
    ),
    path(
        "provider/referrals/<int:referral_id>/complete/",
        provider.ProviderReferralComplete.as_view(),
        name="api-assistance-provider-complete",
    ),
    path(
        "provider/referrals/<int:referral_id>/close/",
        provider.ProviderReferralClose.as_view(),
        name="api-assistance-provider-close",
    ),
    path("quality/", provider.QualityList.as_view(), name="api-assistance-quality"),
    path("cases/<str:reference>/", case.CaseAssistance.as_view(), name="api-assistance-case"),
    path(
        "cases/<str:reference>/assessments/",
        case.AssessmentCreate.as_view(),
        name="api-assistance-assessments",
    ),
    path("cases/<str:reference>/plans/", case.PlanCreate.as_view(), name="api-assistance-plans"),
    path("cases/<str:reference>/plans/<int:plan_id>/", case.PlanDetail.as_view(), name="api-assistance-plan"),
    path(
        "cases/<str:reference>/plans/<int:plan_id>/services/",
        case.PlanServiceCreate.as_view(),
        name="api-assistance-plan-services",
    ),
    path(
        "cases/<str:reference>/plan-services/<int:item_id>/choice/",
        case.PlanServiceChoice.as_view(),
        name="api-assistance-plan-choice",
    ),
    path("cases/<str:reference>/referrals/", case.ReferralCreate.as_view(), name="api-assistance-referrals"),
    path(
        "cases/<str:reference>/referrals/<int:referral_id>/withdraw/",
        case.ReferralWithdraw.as_view(),
        name="api-assistance-referral-withdraw",
    ),
    path(
        "cases/<str:reference>/referrals/<int:referral_id>/feedback/",
        case.ReferralFeedback.as_view(),
        name="api-assistance-referral-feedback",
    ),
    path(
        "cases/<str:reference>/placements/", case.PlacementCreate.as_view(), name="api-assistance-placements"
    ),
    path(
        "cases/<str:reference>/placements/<int:placement_id>/end/",
        case.PlacementEnd.as_view(),
        name="api-assistance-placement-end",
    ),
]
