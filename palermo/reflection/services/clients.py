"""Client systems that may ask the non-removal question through the API with a token.

A token is 32 random bytes (URL-safe text), shown once when the client is added; only its SHA-256 is
stored, so the database never holds a usable token. A revoked client's token is refused from then on.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.access.tiers import Tier
from palermo.accounts.models import Agency
from palermo.audit.services import audit_record
from palermo.reflection.models import LookupClient

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _audit(client: LookupClient, action: str) -> None:
    audit_record(
        actor=None, action=action, tier=Tier.AGGREGATE, object_type="lookup_client", object_id=str(client.pk)
    )


@transaction.atomic
def lookup_client_add(*, name: str, agency: Agency) -> tuple[LookupClient, str]:
    """Register a client system for `agency`; returns it with its token, which is never shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the client system."), code="required")
    if LookupClient.objects.filter(name=name).exists():
        raise ValidationError(_("A client system with this name exists."), code="exists")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client = LookupClient(name=name, agency=agency, token_hash=token_hash(token))
    client.save()
    _audit(client, "lookup_client.add")
    return client, token


@transaction.atomic
def lookup_client_revoke(*, name: str) -> LookupClient:
    client = LookupClient.objects.select_for_update().filter(name=name).first()
    if client is None:
        raise ValidationError(_("No client system with this name."), code="unknown")
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        _audit(client, "lookup_client.revoke")
    return client


def client_for_token(token: str) -> LookupClient | None:
    """The active client holding this token, or None (unknown or revoked alike)."""
    if not token:
        return None
    return (
        LookupClient.objects.select_related("agency")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, agency__is_active=True)
        .first()
    )
