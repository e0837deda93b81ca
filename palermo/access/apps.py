from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "palermo.access"
    label = "access"

    def ready(self) -> None:
        from django.conf import settings

        from palermo.access.limits import parse_rates

        if isinstance(getattr(settings, "RATE_LIMITS", None), str):
            parse_rates(settings.RATE_LIMITS)  # a bad PALERMO_RATE_LIMITS stops start-up, not a request
