from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ReflectionConfig(AppConfig):
    name = "palermo.reflection"
    label = "reflection"
    verbose_name = _("Reflection and recovery period")

    def ready(self) -> None:
        from palermo.cases.sections import register_section
        from palermo.deadlines.kinds import register_kind
        from palermo.identification.events import on_presumed_victim
        from palermo.reflection.models import EntitlementKind
        from palermo.reflection.protection import register_protection_source
        from palermo.reflection.selectors import reflection_protected_until
        from palermo.reflection.services.entitlements import deadline_kind
        from palermo.reflection.services.periods import END_KIND, open_on_presumed_victim
        from palermo.reflection.views.section import section_context

        on_presumed_victim(open_on_presumed_victim)
        register_protection_source(reflection_protected_until)
        register_section("reflection", "reflection/section.html", section_context, order=40)
        register_kind(END_KIND, _("End of the reflection and recovery period"), url_name="reflection:section")
        for kind in EntitlementKind:
            label = format_lazy("{}: {}", _("Entitlement due"), kind.label)
            register_kind(deadline_kind(kind), label, url_name="reflection:section")
