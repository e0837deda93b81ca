from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "palermo.children"
    label = "children"
    verbose_name = _("Child victims")

    def ready(self) -> None:
        from palermo.cases.facts import register_case_reads
        from palermo.cases.opening import on_case_became_child, on_case_opened
        from palermo.cases.sections import register_section
        from palermo.cases.services.representation import register_guardian_reader
        from palermo.children import selectors as page_selectors
        from palermo.children.guards import best_interest_guard
        from palermo.children.notifications import notify_guardian
        from palermo.children.services.care import REVIEW_KIND
        from palermo.children.services.guardianship import (
            APPOINTMENT_KIND,
            has_active_guardian,
            open_child_deadlines,
        )
        from palermo.children.services.solutions import FOLLOWUP_KIND
        from palermo.children.views.section import section_context
        from palermo.core.decisions import register_guard, register_listener
        from palermo.deadlines.kinds import register_kind

        register_guard(best_interest_guard)
        register_guardian_reader(has_active_guardian)
        on_case_opened(open_child_deadlines)
        on_case_became_child(open_child_deadlines)
        register_listener(notify_guardian)
        register_case_reads("children", page_selectors.page_reads)
        register_section("children", "children/section.html", section_context, order=25)
        register_kind(APPOINTMENT_KIND, _("Appointment of the child's guardian"), url_name="children:section")
        register_kind(REVIEW_KIND, _("Review of the child's care arrangement"), url_name="children:section")
        register_kind(
            FOLLOWUP_KIND, _("Follow-up contact after the child's return"), url_name="children:section"
        )
