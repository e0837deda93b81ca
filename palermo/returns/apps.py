from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "palermo.returns"
    label = "returns"
    verbose_name = _("Return, resettlement and transfers abroad")

    def ready(self) -> None:
        pass
