"""Partner organisations in countries of origin: add and change, with their services and languages. Audited
(T0: organisation data, never a person's); every change states the version read."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.models import Membership, User
from palermo.core import iso
from palermo.core.child_rows import replace_child_rows
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.origin.models import Partner, PartnerKind, PartnerServiceKind
from palermo.origin.services.common import (
    audit_write,
    clean_place,
    require_editor,
)

MAX_LANGUAGES = 40


@dataclass
class PartnerData:
    """What a partner's record says; the same for adding and changing."""

    name: str
    kind: str
    country: str
    region: str = ""
    description: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    address: str = ""
    is_active: bool = True
    services: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


SCALARS = (
    "name",
    "kind",
    "country",
    "region",
    "description",
    "contact_name",
    "email",
    "phone",
    "website",
    "address",
    "is_active",
)
LIMITS = {"name": 200, "contact_name": 200, "phone": 50, "address": 300, "email": 200, "website": 300}


def _check_format(errors: dict[str, str], data: PartnerData) -> None:
    checks = (
        ("email", EmailValidator(), _("Give an email address such as desk@example.org.")),
        ("website", URLValidator(schemes=["http", "https"]), _("Give a web address starting with https://.")),
    )
    for name, validator, message in checks:
        if getattr(data, name):
            try:
                validator(getattr(data, name))
            except ValidationError:
                errors[name] = message


def clean_partner(data: PartnerData) -> PartnerData:
    errors: dict[str, str] = {}
    for name in LIMITS:
        setattr(data, name, " ".join(str(getattr(data, name) or "").split()))
        if len(getattr(data, name)) > LIMITS[name]:
            errors[name] = _("At most %(limit)d characters.") % {"limit": LIMITS[name]}
    if not data.name:
        errors["name"] = _("Name the organisation.")
    if data.kind not in PartnerKind.values:
        errors["kind"] = _("Choose the kind of organisation.")
    data.country, data.region = clean_place(data.country, data.region, errors)
    data.description = (data.description or "").strip()
    if len(data.description) > 2000:
        errors["description"] = _("At most %(limit)d characters.") % {"limit": 2000}
    _check_format(errors, data)
    if any(service not in PartnerServiceKind.values for service in data.services):
        errors["services"] = _("Choose services from the list.")
    data.services = sorted(set(data.services))
    languages: list[str] = []
    for code in data.languages:
        normalised = iso.normalise_language(code)
        if normalised is None:
            errors["languages"] = _("Use ISO 639 language codes.")
        elif normalised not in languages:
            languages.append(normalised)
    data.languages = languages[:MAX_LANGUAGES]
    if errors:
        raise ValidationError(errors)
    return data


def _saved(
    partner: Partner, data: PartnerData, *, actor: User, membership: Membership | None, action: str
) -> Partner:
    replace_child_rows(partner.services, "service", data.services)
    replace_child_rows(partner.languages, "language", data.languages)
    audit_write(action, partner, actor=actor, membership=membership)
    return partner


def partner_create(
    *, actor: User, membership: Membership | None, data: PartnerData, is_sample: bool = False
) -> Partner:
    """Add a partner. `membership` None is the system (the demo loader)."""
    if membership is not None:
        require_editor(membership)
    data = clean_partner(data)
    now = timezone.now()
    with transaction.atomic():
        partner = Partner(
            **{name: getattr(data, name) for name in SCALARS},
            is_sample=is_sample,
            created_at=now,
            updated_at=now,
        )
        partner.save()
        return _saved(partner, data, actor=actor, membership=membership, action="origin.partner_create")


def partner_update(
    *, actor: User, membership: Membership, partner: Partner, data: PartnerData, expected_version: int
) -> Partner:
    require_editor(membership)
    data = clean_partner(data)
    with transaction.atomic():
        locked = lock_for_edit(Partner, pk=partner.pk, expected_version=expected_version)
        for name in SCALARS:
            setattr(locked, name, getattr(data, name))
        bump_version(locked)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*SCALARS, "version", "updated_at"])
        return _saved(locked, data, actor=actor, membership=membership, action="origin.partner_update")
