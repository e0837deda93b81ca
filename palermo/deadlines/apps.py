from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "palermo.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        from palermo.cases.filters import DeadlineSearch, provide_deadline_search
        from palermo.deadlines.kinds import registered_kinds
        from palermo.deadlines.selectors import case_ids_with_open_deadline

        provide_deadline_search(
            DeadlineSearch(
                kinds=lambda: [(kind.key, kind.label) for kind in registered_kinds()],
                case_ids=case_ids_with_open_deadline,
            )
        )
