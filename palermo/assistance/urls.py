"""Assistance screens: the directory, the provider's referrals, the quality screen, and the case's
assistance (by case reference; no personal data in any URL)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.assistance.views import case, case_referrals, directory, provider, quality, summary
from palermo.assistance.views.directory import DIRECTORY_ROLES
from palermo.assistance.views.provider import PROVIDER_VIEW_ROLES
from palermo.assistance.views.quality import QUALITY_ROLES

app_name = "assistance"
urlpatterns: list = [
    path("", directory.directory, name="directory"),
    path("services/new/", directory.service_new, name="service_new"),
    path("services/<int:service_id>/", directory.service_detail, name="service"),
    path("services/<int:service_id>/edit/", directory.service_edit, name="service_edit"),
    path("referrals/", provider.inbox, name="provider_inbox"),
    path("referrals/<int:referral_id>/", provider.referral_detail, name="provider_referral"),
    path("referrals/<int:referral_id>/accept/", provider.referral_accept, name="provider_accept"),
    path("referrals/<int:referral_id>/decline/", provider.referral_decline, name="provider_decline"),
    path("referrals/<int:referral_id>/complete/", provider.referral_complete, name="provider_complete"),
    path("referrals/<int:referral_id>/close/", provider.referral_close, name="provider_close"),
    path("quality/", quality.quality, name="quality"),
    path("cases/<str:reference>/", case.case_section, name="case"),
    path("cases/<str:reference>/summary/", summary.summary_page, name="summary_page"),
    path("cases/<str:reference>/summary.pdf", summary.summary, name="summary"),
    path("cases/<str:reference>/assessments/", case.assessment_add, name="assessment_add"),
    path("cases/<str:reference>/plans/", case.plan_add, name="plan_add"),
    path("cases/<str:reference>/plans/<int:plan_id>/edit/", case.plan_edit, name="plan_edit"),
    path("cases/<str:reference>/plans/<int:plan_id>/close/", case.plan_close, name="plan_close"),
    path(
        "cases/<str:reference>/plans/<int:plan_id>/services/", case.plan_service_add, name="plan_service_add"
    ),
    path("cases/<str:reference>/plan-services/<int:item_id>/choice/", case.plan_choice, name="plan_choice"),
    path("cases/<str:reference>/referrals/", case_referrals.referral_add, name="referral_add"),
    path(
        "cases/<str:reference>/referrals/<int:referral_id>/withdraw/",
        case_referrals.referral_withdraw,
        name="referral_withdraw",
    ),
    path(
        "cases/<str:reference>/referrals/<int:referral_id>/feedback/",
        case_referrals.referral_feedback,
        name="referral_feedback",
    ),
    path("cases/<str:reference>/placements/", case_referrals.placement_add, name="placement_add"),
    path(
        "cases/<str:reference>/placements/<int:placement_id>/end/",
        case_referrals.placement_end,
        name="placement_end",
    ),
]

register(NavItem(_("Service directory"), "assistance:directory", frozenset(DIRECTORY_ROLES)))
register(NavItem(_("Referrals received"), "assistance:provider_inbox", frozenset(PROVIDER_VIEW_ROLES)))
register(NavItem(_("Quality of services"), "assistance:quality", frozenset(QUALITY_ROLES)))
register_panel(
    HomePanel(
        "assistance.inbox",
        frozenset(PROVIDER_VIEW_ROLES),
        "assistance/home_panel.html",
        provider.inbox_panel,
        order=5,
    )
)
