from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "palermo.audit"
    label = "audit"

    def ready(self) -> None:
        from palermo.audit.models import ChainHead
        from palermo.core.monitoring import register_gauge

        def chain_head() -> float:
            return float(ChainHead.objects.values_list("sequence", flat=True).first() or 0)

        register_gauge(
            "palermo_audit_chain_head", "Sequence number of the audit chain's last event", chain_head
        )
