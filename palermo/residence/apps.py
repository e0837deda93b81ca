from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidenceConfig(AppConfig):
    name = "palermo.residence"
    label = "residence"
    verbose_name = _("Residence status and asylum")

    def ready(self) -> None:
        from palermo.access.duties import on_team_changed
        from palermo.accounts.roles import Role
        from palermo.cases.dates import register_date_source
        from palermo.cases.facts import register_case_reads
        from palermo.cases.sections import register_section
        from palermo.cases.web import CaseForm, register_case_form
        from palermo.deadlines.kinds import register_kind
        from palermo.residence import selectors as page_selectors
        from palermo.residence.selectors import asylum_protected_until, permits_protected_until
        from palermo.residence.services.applications import DECISION_DUE_KIND, EXPIRY_KIND, RENEWAL_KIND
        from palermo.residence.services.decisions import APPEAL_DUE_KIND, decision_deadlines_follow_the_team
        from palermo.residence.views.section import lodge_form_context, section_context

        register_case_reads("residence", page_selectors.page_reads)
        register_date_source(page_selectors.person_dates)
        register_section("residence", "residence/section.html", section_context, order=45)
        # The form's country list is built only when someone opens it, not with every view of the section.
        register_case_form(
            "residence-lodge",
            CaseForm(
                _("Record an application"), "residence/forms/lodge.html", "residence", lodge_form_context
            ),
        )
        # The migration authority decides: its officers are told when a decision falls due, and the decision
        # deadlines follow the team (a migration authority joining takes them from the lead agency).
        deciders = Role.MIGRATION_OFFICER
        register_kind(
            DECISION_DUE_KIND,
            _("Residence or asylum application: decision due"),
            "residence:section",
            deciders=deciders,
        )
        register_kind(
            APPEAL_DUE_KIND,
            _("Residence or asylum appeal: decision due"),
            "residence:section",
            deciders=deciders,
        )
        on_team_changed(decision_deadlines_follow_the_team)
        register_kind(EXPIRY_KIND, _("Residence permit expires"), "residence:section")
        register_kind(RENEWAL_KIND, _("Residence permit: renewal window opens"), "residence:section")
        # Its decisions cite country-of-origin information (palermo.origin, decision 0036).
        from palermo.origin.citations import register_decision_kind
        from palermo.residence.citing import DECISION_KIND

        register_decision_kind(DECISION_KIND)
        # A permit valid today, or an asylum application not finally decided, protects from removal.
        try:
            from palermo.reflection.protection import register_protection_source
        except ImportError:  # without the reflection area there is no non-removal look-up to answer
            return
        register_protection_source(permits_protected_until)
        register_protection_source(asylum_protected_until)
