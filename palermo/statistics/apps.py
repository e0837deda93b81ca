from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "palermo.statistics"
    label = "statistics"
    verbose_name = _("Statistics and monitoring")

    def ready(self) -> None:
        # The populations and tables this area publishes, with those of proceedings and returns (this area
        # sits above justice and returns and reads their records; palermo.statistics.registry).
        from palermo.statistics import catalogue, proceedings  # noqa: F401
