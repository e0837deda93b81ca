"""Assistance API routes, included under /api/v1/assistance/."""

from palermo.assistance.api import case, directory, provider
from palermo.core.routes import CASE, routes

urlpatterns: list = routes(
    "",
    [
        ("services/", directory.ServiceList, "api-assistance-services"),
        ("services/<int:service_id>/", directory.ServiceDetail, "api-assistance-service"),
        ("provider/referrals/", provider.ProviderReferralList, "api-assistance-provider-referrals"),
        (
            "provider/referrals/<int:referral_id>/",
            provider.ProviderReferralDetail,
            "api-assistance-provider-referral",
        ),
        (
            "provider/referrals/<int:referral_id>/accept/",
            provider.ProviderReferralAccept,
            "api-assistance-provider-accept",
        ),
        (
            "provider/referrals/<int:referral_id>/decline/",
            provider.ProviderReferralDecline,
            "api-assistance-provider-decline",
        ),
        (
            "provider/referrals/<int:referral_id>/complete/",
            provider.ProviderReferralComplete,
            "api-assistance-provider-complete",
        ),
        (
            "provider/referrals/<int:referral_id>/close/",
            provider.ProviderReferralClose,
            "api-assistance-provider-close",
        ),
        ("quality/", provider.QualityList, "api-assistance-quality"),
    ],
) + routes(
    CASE,
    [
        ("", case.CaseAssistance, "api-assistance-case"),
        ("assessments/", case.AssessmentCreate, "api-assistance-assessments"),
        ("plans/", case.PlanCreate, "api-assistance-plans"),
        ("plans/<int:plan_id>/", case.PlanDetail, "api-assistance-plan"),
        ("plans/<int:plan_id>/services/", case.PlanServiceCreate, "api-assistance-plan-services"),
        ("plan-services/<int:item_id>/choice/", case.PlanServiceChoice, "api-assistance-plan-choice"),
        ("referrals/", case.ReferralCreate, "api-assistance-referrals"),
        ("referrals/<int:referral_id>/withdraw/", case.ReferralWithdraw, "api-assistance-referral-withdraw"),
        ("referrals/<int:referral_id>/feedback/", case.ReferralFeedback, "api-assistance-referral-feedback"),
        ("placements/", case.PlacementCreate, "api-assistance-placements"),
        ("placements/<int:placement_id>/end/", case.PlacementEnd, "api-assistance-placement-end"),
        ("summary/", case.Summary, "api-assistance-summary"),
        ("summary.pdf", case.SummaryPdf, "api-assistance-summary-pdf"),
    ],
)
