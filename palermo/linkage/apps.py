from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "palermo.linkage"
    label = "linkage"
    verbose_name = _("Record linkage")

    def ready(self) -> None:
        from palermo.cases.identity import on_identity_changed, provide_person_matcher
        from palermo.linkage.matching import duplicate_case_ids
        from palermo.linkage.services.keys import person_keys_refresh
        from palermo.linkage.services.partners import partner_encodings_refresh

        # The intake's duplicate warning matches as the tolerant search does (docs/decisions/0042).
        provide_person_matcher(duplicate_case_ids)
        # A person's keys follow their names, aliases and birth date in the same transaction.
        on_identity_changed(person_keys_refresh)
        # And their encodings under each partner NRM's secret (docs/decisions/0043).
        on_identity_changed(partner_encodings_refresh)
