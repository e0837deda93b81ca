from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "palermo.assistance"
    label = "assistance"

    def ready(self) -> None:
        from palermo.accounts.proxies import agency_tier_annotations, agency_tier_lookups, agency_tier_rules
        from palermo.assistance import selectors as page_selectors
        from palermo.assistance.selectors import (
            agency_service_annotations,
            agency_service_tier,
            agency_service_tiers,
        )
        from palermo.assistance.services.plans import PLAN_REVIEW
        from palermo.assistance.services.referrals import REFERRAL_RESPONSE
        from palermo.assistance.views import case as case_views
        from palermo.assistance.views.case_forms import register_forms
        from palermo.cases.facts import register_case_reads
        from palermo.cases.sections import register_section
        from palermo.deadlines.kinds import register_kind

        register_case_reads("assistance", page_selectors.page_reads)
        register_section(
            "assistance", "assistance/sections/assistance.html", case_views.section_context, order=50
        )
        register_forms()
        agency_tier_rules.add(agency_service_tier)  # a safe house's or a health service's provider
        agency_tier_annotations.add(agency_service_annotations)
        agency_tier_lookups.add(agency_service_tiers)
        register_kind(PLAN_REVIEW, _("Review the assistance plan"), url_name="assistance:case")
        register_kind(
            REFERRAL_RESPONSE, _("Referral awaiting the provider's answer"), url_name="assistance:case"
        )
