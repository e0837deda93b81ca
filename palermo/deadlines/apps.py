from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "palermo.deadlines"
    label = "deadlines"

    def ready(self) -> None:
        from palermo.cases.filters import DeadlineSearch, provide_deadline_search
        from palermo.core.monitoring import register_gauge
        from palermo.deadlines.kinds import registered_kinds
        from palermo.deadlines.monitoring import last_reminder_run_age
        from palermo.deadlines.selectors import case_ids_with_open_deadline, soonest_due_of_outer_case
        from palermo.deadlines.worklist import next_deadlines

        provide_deadline_search(
            DeadlineSearch(
                kinds=lambda: [(kind.key, kind.label) for kind in registered_kinds()],
                case_ids=case_ids_with_open_deadline,
                next_deadlines=next_deadlines,
                soonest_due=soonest_due_of_outer_case,
            )
        )
        register_gauge(
            "palermo_deadline_reminder_last_run_age_seconds",
            "Seconds since the last deadline reminder run was due (a growing value: runs have stopped)",
            last_reminder_run_age,
        )
