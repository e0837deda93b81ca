"""A contact request left on the public portal (docs/decisions/0046): the only thing the portal stores.

Nothing about the person is asked but how and where to reach them: the channel they chose (a phone call, a
message, or a meeting at a place and time), the contact itself (a number, or the place and time), and the
language to use. The contact identifies the person (a phone number, where they will be): it is encrypted
(T2; a place and time is location, T3). No name, no story, no address, no network address. The request goes
to one duty agency (the rulebook's `[portal]` type, in the region chosen, else a national one) and lapses if
no one of that agency picks it up in time.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import Agency, User
from palermo.core.constraints import ChoiceField
from palermo.core.fields import EncryptedModel, EncryptedTextField
from palermo.core.records import NamedRow, Versioned


class Channel(models.TextChoices):
    PHONE = "phone", _("A phone call")
    MESSAGE = "message", _("A text or messaging app")
    MEETING = "meeting", _("A meeting at a place and time")


class ContactStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be picked up")
    PICKED_UP = "picked_up", _("Picked up")
    EXPIRED = "expired", _("Lapsed, not picked up in time")


class ContactRequest(NamedRow, Versioned, EncryptedModel):
    row_name = "contact request {pk}"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="contact_requests")
    channel = ChoiceField(Channel, _("channel"), max_length=10)
    # The number or messaging handle (T2), or the place and time to meet (T3): encrypted, never logged.
    contact = EncryptedTextField(_("how to reach the person"), tier=2)
    meeting = EncryptedTextField(_("place and time to meet"), blank=True, tier=3)
    language = models.CharField(_("language"), max_length=10)
    region = models.CharField(_("region"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    status = ChoiceField(ContactStatus, _("status"), max_length=10, default=ContactStatus.WAITING)
    picked_up_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    picked_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["agency", "status", "expires_at"], name="portal_contact_duty")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="picked_up") | models.Q(picked_up_by__isnull=False),
                name="portal_contact_picked_by",
            ),
        ]
