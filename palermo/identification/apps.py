from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentificationConfig(AppConfig):
    name = "palermo.identification"
    label = "identification"
    verbose_name = _("Identification")

    def ready(self) -> None:
        from palermo.access.duties import on_team_changed
        from palermo.access.routing import route_identified_victim, route_presumed_victim
        from palermo.accounts.roles import Role
        from palermo.cases.dates import register_date_source
        from palermo.cases.facts import register_case_reads
        from palermo.cases.opening import on_case_opened
        from palermo.cases.sections import register_section
        from palermo.cases.services.person import register_child_status_source
        from palermo.deadlines.kinds import register_kind
        from palermo.identification import selectors as page_selectors
        from palermo.identification.age import assessed_child_status
        from palermo.identification.deadlines import (
            IDENTIFIED_KIND,
            PRESUMED_KIND,
            REVIEW_KIND,
            decision_deadlines_follow_the_team,
            write_decision_deadlines,
        )
        from palermo.identification.events import on_identified_victim, on_presumed_victim
        from palermo.identification.views.section import section_context

        register_child_status_source(assessed_child_status)
        # The presumed victim decision is due from the referral: its deadline is written as the case opens.
        on_case_opened(write_decision_deadlines)
        # ...and is the authority's on the team: a re-routed referral takes it along.
        on_team_changed(decision_deadlines_follow_the_team)
        # The routing rules bring the agencies each positive decision calls for (palermo.access.routing).
        on_presumed_victim(route_presumed_victim)
        on_identified_victim(route_identified_victim)
        register_case_reads("identification", page_selectors.page_reads)
        register_date_source(page_selectors.person_dates)
        register_section("identification", "identification/section.html", section_context, order=35)

        # The authority takes these decisions: its members are told of them when they fall due.
        page, deciders = "identification:decisions", Role.IDENTIFICATION_AUTHORITY
        register_kind(PRESUMED_KIND, _("Presumed victim decision"), page, deciders=deciders)
        register_kind(IDENTIFIED_KIND, _("Identified victim decision"), page, deciders=deciders)
        register_kind(REVIEW_KIND, _("Reconsideration or appeal decision"), page, deciders=deciders)
