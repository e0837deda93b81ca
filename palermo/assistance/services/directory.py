"""The service directory's write path: providers' services, their languages, regions, eligibility and places.

The directory holds no personal data (T0). It is edited by system administrators (who run the agencies) and
by the members of the provider agency itself, who know their own service best. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from palermo.access.policy import is_usable
from palermo.accounts.models import Agency, Membership, User
from palermo.accounts.roles import Role
from palermo.assistance.models import ProviderService, ServiceKind, ServiceLanguage, ServiceRegion
from palermo.audit.services import audit_on_record
from palermo.core import iso
from palermo.core.concurrency import bump_version, lock_for_edit

MAX_REGIONS = 30
MAX_LANGUAGES = 40


@dataclass
class ServiceData:
    """What a directory entry says; the same for creating and editing."""

    kind: str
    name: str
    description: str = ""
    contact: str = ""
    languages: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    serves_women: bool = True
    serves_men: bool = True
    serves_other_genders: bool = True
    serves_adults: bool = True
    serves_children: bool = False
    capacity: int | None = None
    is_active: bool = True


# Whom a service serves: the genders and ages it takes.
SERVES = ("serves_women", "serves_men", "serves_other_genders", "serves_adults", "serves_children")
SCALARS = ("kind", "name", "description", "contact", *SERVES, "capacity", "is_active")


def may_edit_directory(membership: Membership | None, agency: Agency) -> bool:
    """System administrators, and the provider agency's own members."""
    if membership is None or not is_usable(membership):
        return False
    return membership.role == Role.SYSTEM_ADMINISTRATOR or membership.agency_id == agency.pk


def _clean(data: ServiceData) -> ServiceData:
    errors: dict[str, str] = {}
    if data.kind not in ServiceKind.values:
        errors["kind"] = str(_("Choose the kind of service."))
    data.name = (data.name or "").strip()
    if not data.name:
        errors["name"] = str(_("Name the service."))
    languages = []
    for code in data.languages:
        normalised = iso.normalise_language(code)
        if normalised is None:
            errors["languages"] = str(_("Use ISO 639 language codes."))
        elif normalised not in languages:
            languages.append(normalised)
    data.languages = languages[:MAX_LANGUAGES]
    data.regions = sorted({region.strip() for region in data.regions if region and region.strip()})[
        :MAX_REGIONS
    ]
    if any(len(region) > 100 for region in data.regions):
        errors["regions"] = str(_("A region name holds at most 100 characters."))
    if not (data.serves_adults or data.serves_children):
        errors["serves_adults"] = str(_("A service serves adults, children or both."))
    if data.kind == ServiceKind.SAFE_ACCOMMODATION and data.capacity is None:
        errors["capacity"] = str(_("Give the number of places of the accommodation."))
    if data.kind != ServiceKind.SAFE_ACCOMMODATION:
        data.capacity = None
    if errors:
        raise ValidationError(errors)
    return data


def _saved(
    service: ProviderService, data: ServiceData, *, actor: User, membership: Membership, action: str
) -> ProviderService:
    """The rest of a save: the service's languages and regions replaced by those of `data`, and the change
    in the audit log."""
    service.languages.all().delete()
    service.regions.all().delete()
    ServiceLanguage.objects.bulk_create(
        [ServiceLanguage(service=service, language=code) for code in data.languages]
    )
    ServiceRegion.objects.bulk_create(
        [ServiceRegion(service=service, region=region) for region in data.regions]
    )
    audit_on_record(
        service,
        "provider_service",
        action,
        0,
        actor=actor,
        membership=membership,
    )
    return service


def service_create(
    *, actor: User, membership: Membership, agency: Agency, data: ServiceData
) -> ProviderService:
    if not may_edit_directory(membership, agency):
        raise PermissionDenied("only administrators and the provider's own members edit its services")
    data = _clean(data)
    with transaction.atomic():
        service = ProviderService(agency=agency, **{name: getattr(data, name) for name in SCALARS})
        service.save()
        return _saved(service, data, actor=actor, membership=membership, action="directory.service_create")


def service_update(
    *, actor: User, membership: Membership, service: ProviderService, data: ServiceData, expected_version: int
) -> ProviderService:
    """Change a directory entry, stating the version read (StaleEdit when someone saved first). Places may
    not go below the places taken now."""
    if not may_edit_directory(membership, service.agency):
        raise PermissionDenied("only administrators and the provider's own members edit its services")
    data = _clean(data)
    with transaction.atomic():
        locked = lock_for_edit(ProviderService, pk=service.pk, expected_version=expected_version)
        if data.capacity is not None:
            taken = locked.placements.filter(ended_at__isnull=True).count()
            if data.capacity < taken:
                raise ValidationError({"capacity": _("%(taken)d places are taken now.") % {"taken": taken}})
        for name in SCALARS:
            setattr(locked, name, getattr(data, name))
        bump_version(locked)
        locked.save(update_fields=[*SCALARS, "version", "updated_at"])
        return _saved(locked, data, actor=actor, membership=membership, action="directory.service_update")
