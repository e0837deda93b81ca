"""The audit log for data protection officers, read-only, with the screen's filters."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from palermo.accounts.active import acting
from palermo.accounts.roles import Role
from palermo.audit.actions import action_words, object_words
from palermo.audit.filters import AuditEventFilter
from palermo.audit.models import AuditEvent
from palermo.audit.selectors import audit_events_visible
from palermo.core.api_answers import AnswerModelSerializer
from palermo.core.api_lists import CallerList


class AuditEventSerializer(AnswerModelSerializer):
    actor_username = serializers.CharField(source="actor.username", allow_null=True, read_only=True)
    case_reference = serializers.CharField(source="case.reference", allow_null=True, read_only=True)
    action_words = serializers.SerializerMethodField(help_text="The action in the caller's language.")
    object_words = serializers.SerializerMethodField(
        help_text="The kind of record the event names, in the caller's language (empty when it names none)."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "sequence",
            "time",
            "actor",
            "actor_username",
            "agency",
            "role",
            "action",
            "action_words",
            "object_type",
            "object_words",
            "object_id",
            "case_reference",
            "tier",
            "reason",
            "request_id",
            "prev_hash",
            "hash",
        ]

    def get_action_words(self, event: AuditEvent) -> str:
        return action_words(event.action)

    def get_object_words(self, event: AuditEvent) -> str:
        return object_words(event.object_type) if event.object_type else ""


class AuditEventList(CallerList):
    summary = "Audit events"
    description = (
        "The hash-chained audit log, newest first, for data protection officers. A national DPO sees every "
        "event; an agency DPO sees those of their agency, its members and the cases it works on."
    )
    palermo_roles = frozenset({Role.DATA_PROTECTION_OFFICER})
    serializer_class = AuditEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEventFilter
    model = AuditEvent

    def listed(self) -> QuerySet[AuditEvent]:
        return audit_events_visible(membership=acting(self.request).membership)
