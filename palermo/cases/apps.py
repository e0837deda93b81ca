from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "palermo.cases"
    label = "cases"

    def ready(self) -> None:
        from palermo.access.routing import route_child_case
        from palermo.access.timeline import on_team_event
        from palermo.cases import selectors
        from palermo.cases.facts import register_case_reads
        from palermo.cases.opening import on_case_became_child, on_case_opened
        from palermo.cases.reference import ExploitationForm
        from palermo.cases.sections import register_section
        from palermo.cases.services.team_events import team_event_write
        from palermo.cases.views import consent, documents, lifecycle, notes, person, team, timeline
        from palermo.core.rulebooks import register_exploitation_forms

        # Rulebooks name the forms a jurisdiction recognises; the case record owns the list.
        register_exploitation_forms(ExploitationForm.values)

        # Access sits below cases: team changes reach the case's timeline through this writer.
        on_team_event(team_event_write)
        # A child's case brings the agencies the routing rules give children (the guardianship service).
        on_case_opened(route_child_case)
        on_case_became_child(route_child_case)

        register_case_reads("cases", selectors.page_reads)
        register_case_reads("cases.timeline", timeline.first_page_reads)
        register_case_reads("cases.notes", notes.first_page_reads)
        register_case_reads("cases.documents", documents.first_page_reads)
        register_section("lifecycle", "cases/sections/lifecycle.html", lifecycle.section_context, order=10)
        register_section("team", "cases/sections/team.html", team.section_context, order=15)
        register_section("person", "cases/sections/person.html", person.section_context, order=20)
        register_section("consent", "cases/sections/consent.html", consent.section_context, order=30)
        register_section("timeline", "cases/sections/timeline.html", timeline.section_context, order=80)
        register_section("notes", "cases/sections/notes.html", notes.section_context, order=90)
        register_section("documents", "cases/sections/documents.html", documents.section_context, order=95)
