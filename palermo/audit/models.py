"""The audit log: one append-only, hash-chained table of events, and the head of the chain.

An event names who acted (user, agency, role), what they did (a dotted action), on what (object type and id,
case), at which data tier, why, and in which request. It holds ids and references only, never names or other
personal data. Events are never changed or removed: the ORM refuses it here, database triggers refuse it below
(migration 0002), and `palermo audit_verify` detects it when both are bypassed.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.roles import Role
from palermo.core.fields import optional_key
from palermo.core.records import NamedRow


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event through the ORM."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("audit events are append-only")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse
    # Inserts from here would bypass the chain; events are appended through audit_record and
    # audit_record_many (palermo.audit.services), which link each to the one before.
    bulk_create = _refuse
    create = _refuse
    get_or_create = _refuse


def append_events(events: list[AuditEvent]) -> None:
    """Insert events already linked into the chain, in one statement (audit_record_many's, none other's)."""
    models.QuerySet[AuditEvent](model=AuditEvent).bulk_create(events)


class AuditEvent(NamedRow):
    row_name = "#{sequence} {action}"

    sequence = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    time = models.DateTimeField(_("time"), editable=False)
    actor = optional_key(
        settings.AUTH_USER_MODEL,
        _("actor"),
        help_text=_("Empty for the system itself (commands, background tasks)."),
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case = optional_key("cases.Case", _("case"))
    tier = models.PositiveSmallIntegerField(_("data tier"))
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    # Free text a person typed as the reason (closing a case, downloading a document): personal data, so it is
    # sealed under the field key ring, bound to the event's sequence number (palermo.audit.notes), and never
    # shown in the log's pages, API or export. `reason` holds only what the software writes.
    note = models.TextField(blank=True, default="", editable=False)
    # The audit key the hash is an HMAC under (palermo.audit.chain); empty for events from before keying.
    key_id = models.CharField(max_length=32, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["case", "sequence"], name="audit_event_case"),
            models.Index(fields=["actor", "sequence"], name="audit_event_actor"),
            models.Index(fields=["action", "sequence"], name="audit_event_action"),
            models.Index(fields=["time"], name="audit_event_time"),
            models.Index(fields=["agency", "sequence"], name="audit_event_agency"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__lte=4), name="audit_event_tier_valid"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_event_sequence_positive"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only")

    @property
    def role_label(self) -> str:
        """The role's display name; roles are kept as plain values so the role list can grow freely."""
        return str(Role(self.role).label) if self.role in Role.values else self.role


class ChainHead(NamedRow):
    """The single row that says where the chain ends. Appending locks it, so writers take turns.

    It also lets verification notice events removed from the end of the chain, which the links alone
    cannot show.
    """

    row_name = "head #{sequence}"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chainhead_single_row")]
