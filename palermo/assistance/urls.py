"""Assistance screens: the directory, the provider's referrals, the quality screen, and the case's
assistance (by case reference; no personal data in any URL)."""

from django.utils.translation import gettext_lazy as _

from palermo.access.navigation import NavItem, register
from palermo.accounts.home import HomePanel, register_panel
from palermo.assistance.views import case, case_referrals, directory, provider, quality, summary
from palermo.assistance.views.directory import DIRECTORY_ROLES
from palermo.assistance.views.provider import PROVIDER_VIEW_ROLES
from palermo.assistance.views.quality import QUALITY_ROLES
from palermo.core.routes import CASE, routes

app_name = "assistance"
urlpatterns: list = routes(
    "",
    [
        ("", directory.directory, "directory"),
        ("services/new/", directory.service_new, "service_new"),
        ("services/<int:service_id>/", directory.service_detail, "service"),
        ("services/<int:service_id>/edit/", directory.service_edit, "service_edit"),
        ("referrals/", provider.inbox, "provider_inbox"),
        ("referrals/<int:referral_id>/", provider.referral_detail, "provider_referral"),
        ("referrals/<int:referral_id>/accept/", provider.referral_accept, "provider_accept"),
        ("referrals/<int:referral_id>/decline/", provider.referral_decline, "provider_decline"),
        ("referrals/<int:referral_id>/complete/", provider.referral_complete, "provider_complete"),
        ("referrals/<int:referral_id>/close/", provider.referral_close, "provider_close"),
        ("quality/", quality.quality, "quality"),
    ],
) + routes(
    CASE,
    [
        ("", case.case_section, "case"),
        ("summary/", summary.summary_page, "summary_page"),
        ("summary.pdf", summary.summary, "summary"),
        ("assessments/", case.assessment_add, "assessment_add"),
        ("plans/", case.plan_add, "plan_add"),
        ("plans/<int:plan_id>/edit/", case.plan_edit, "plan_edit"),
        ("plans/<int:plan_id>/close/", case.plan_close, "plan_close"),
        ("plans/<int:plan_id>/services/", case.plan_service_add, "plan_service_add"),
        ("plan-services/<int:item_id>/choice/", case.plan_choice, "plan_choice"),
        ("referrals/", case_referrals.referral_add, "referral_add"),
        ("referrals/<int:referral_id>/withdraw/", case_referrals.referral_withdraw, "referral_withdraw"),
        ("referrals/<int:referral_id>/feedback/", case_referrals.referral_feedback, "referral_feedback"),
        ("placements/", case_referrals.placement_add, "placement_add"),
        ("placements/<int:placement_id>/end/", case_referrals.placement_end, "placement_end"),
    ],
)

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
