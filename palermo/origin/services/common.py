"""What the origin area's services share: who may write, the audit of a write, the clock, countries and their
regions."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.access.matrix import country_information_editors
from palermo.access.policy import is_usable
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_on_record
from palermo.core import iso
from palermo.origin.models import CountryEntry, Partner

# The audit log's name for each kind of record of the base.
AUDITED_AS: dict[type[CountryEntry | Partner], str] = {CountryEntry: "country_entry", Partner: "partner"}


def may_edit(membership: Membership | None) -> bool:
    """The roles the access matrix names (`edits_country_information`), through an active membership."""
    return (
        membership is not None and is_usable(membership) and membership.role in country_information_editors()
    )


def require_editor(membership: Membership | None) -> None:
    if not may_edit(membership):
        raise PermissionDenied("only the roles the access matrix names write country information")


def audit_write(
    action: str, record: CountryEntry | Partner, *, actor: User | None, membership: Membership | None
) -> None:
    """A write of the base in the audit log: T0, as nothing in it is about a person."""
    audit_on_record(
        record,
        AUDITED_AS[type(record)],
        action,
        0,
        actor=actor,
        membership=membership,
    )


def today() -> datetime.date:
    return timezone.localdate()


def country_code(value: str) -> str | None:
    """An ISO 3166-1 alpha-3 code (a real country; not the stateless overlay), or None."""
    code = iso.normalise_country(value)
    return code if code is not None and code != iso.STATELESS else None


def region_problem(country: str, region: str) -> str | None:
    """Why `region` is not an ISO 3166-2 subdivision of `country` (None when it is, or is blank)."""
    if not region or iso.normalise_region(country, region):
        return None
    return _("Give the region as an ISO 3166-2 code of that country (for example NG-ED), or leave it blank.")


def clean_place(country: str, region: str, errors: dict[str, str]) -> tuple[str, str]:
    """A country (ISO 3166-1 alpha-3; blank when it is none) and a region of it (ISO 3166-2, or blank),
    normalised; what is wrong is named in `errors`."""
    code = country_code(country or "")
    if code is None:
        errors["country"] = _("Choose a country (ISO 3166-1 alpha-3 code).")
    region = (region or "").strip().upper()
    problem = region_problem(code, region) if code else None
    if problem:
        errors["region"] = problem
    return code or "", region
