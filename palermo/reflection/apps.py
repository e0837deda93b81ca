from django.apps import AppConfig
from django.core import checks
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ReflectionConfig(AppConfig):
    name = "palermo.reflection"
    label = "reflection"
    verbose_name = _("Reflection and recovery period")

    def ready(self) -> None:
        from palermo.access.duties import on_team_changed
        from palermo.cases.dates import register_date_source
        from palermo.cases.facts import register_case_reads
        from palermo.cases.provided import on_service_provided
        from palermo.cases.sections import register_section
        from palermo.cases.web import register_case_form
        from palermo.core.decisions import register_listener
        from palermo.deadlines.kinds import register_kind
        from palermo.identification.events import on_presumed_victim
        from palermo.reflection import selectors as page_selectors
        from palermo.reflection.models import EntitlementKind
        from palermo.reflection.protection import register_protection_source
        from palermo.reflection.selectors import (
            identification_protected_until,
            reflection_protected_until,
        )
        from palermo.reflection.services.common import END_KIND
        from palermo.reflection.services.entitlements import (
            deadline_kind,
            entitlement_from_service,
            entitlement_owners_refresh,
        )
        from palermo.reflection.services.followups import complete_end_on_decision
        from palermo.reflection.services.lookup import NEAR_MATCH_KIND, check_lookup_contact
        from palermo.reflection.services.periods import open_on_presumed_victim
        from palermo.reflection.views.forms import case_forms
        from palermo.reflection.views.section import section_context

        on_presumed_victim(open_on_presumed_victim)
        # Each entitlement's deadline stays with the agency whose duty it is as the team changes.
        on_team_changed(entitlement_owners_refresh)
        # A service the assistance area records as given marks the entitlement it is provided.
        on_service_provided(entitlement_from_service)
        checks.register(check_lookup_contact, "palermo", deploy=True)
        register_protection_source(reflection_protected_until)
        register_protection_source(identification_protected_until)
        register_listener(complete_end_on_decision)
        register_case_reads("reflection", page_selectors.page_reads)
        register_date_source(page_selectors.person_dates)
        register_section("reflection", "reflection/section.html", section_context, order=40)
        for name, form in case_forms().items():
            register_case_form(name, form)
        register_kind(
            END_KIND,
            _("Reflection period ends: take the identified victim decision or grant a residence permit"),
            url_name="reflection:section",
        )
        register_kind(
            NEAR_MATCH_KIND,
            _("A removal look-up came close to this person: be ready to answer the competent authority"),
            url_name="reflection:section",
            marked_done=True,
        )
        for kind in EntitlementKind:
            label = format_lazy("{}: {}", _("Entitlement due"), kind.label)
            # Each entitlement is the duty of one agency (the rulebook's entitlements.<kind>_owner).
            register_kind(deadline_kind(kind), label, url_name="reflection:section", agency_duty=True)
