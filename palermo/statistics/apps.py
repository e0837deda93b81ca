from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "palermo.statistics"
    label = "statistics"
    verbose_name = _("Statistics and monitoring")

    def ready(self) -> None:
        # The populations and tables this area publishes; other areas (justice, returns) register theirs the
        # same way from their own ready() (palermo.statistics.registry).
        from palermo.statistics import catalogue  # noqa: F401
