from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "palermo.core"
    label = "core"

    def ready(self) -> None:
        from palermo.core.rulebooks import check_active_rulebook

        # Refuse to start (runserver, migrate, check) with an active rulebook that cannot be used.
        checks.register(check_active_rulebook, "palermo")
