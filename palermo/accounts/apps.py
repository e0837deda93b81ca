from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "palermo.accounts"
    label = "accounts"

    def ready(self) -> None:
        from palermo.accounts.roles import CASE_AGENCY_TYPES
        from palermo.core.rulebooks import register_agency_types

        # Rulebooks route agencies to cases and give them duties by type; the agency record owns the list.
        register_agency_types(CASE_AGENCY_TYPES)
