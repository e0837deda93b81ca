"""Persons on a case: identity, contact, whereabouts and the facts statistics count, each at its tier.

Who may change what is the access policy's answer for the tier of each field (`PERSON_FIELD_TIERS`): a
migration officer on the team writes identity (T2) but never sees or writes the current address (T3). An edit
states the version it read; a stale one raises `StaleEdit` and changes nothing.

Derived values are recomputed here, on every change that can move them, never typed in: the person's CTDC
age group and the case's child flag (`palermo.cases.age`, the rulebook's threshold and the presumption of
minority). Ages move with time too: `person_refresh_derived` recomputes them for a case on any day.

The person's aliases, citizenships, languages and identity documents are written in `person_subrecords`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.age import BornAfterTheDay, age_group_on, age_on, is_child
from palermo.cases.identity import identity_changed
from palermo.cases.models import BirthDatePrecision, Case, Person
from palermo.cases.reference import Gender
from palermo.cases.services.child_flag import (
    SOURCE_PERSON_AGE,
    case_child_flag_set,
    case_child_when_exploited_set,
)
from palermo.cases.services.person_subrecords import (
    clean_alias,
    clean_country,
    clean_document,
    clean_language,
    identity_document_add,
    identity_document_edit,
    person_alias_add,
    person_alias_remove,
    person_citizenship_add,
    person_citizenship_remove,
    person_language_add,
    person_language_remove,
    person_language_set_interpreter,
)
from palermo.cases.services.person_writes import apply_changes, person_entry, require_write
from palermo.cases.services.timeline import record_entry
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.registry import Registry

# The tier of every field a person's edit may change. Encrypted fields carry their own tier (the model says);
# the plain ones are case metadata, except the precision of the birth date, which means nothing without it.
PERSON_FIELD_TIERS: dict[str, Tier] = {
    "given_names": Tier.IDENTITY,
    "family_names": Tier.IDENTITY,
    "given_names_latin": Tier.IDENTITY,
    "family_names_latin": Tier.IDENTITY,
    "birth_date": Tier.IDENTITY,
    "birth_date_precision": Tier.IDENTITY,
    "phone": Tier.IDENTITY,
    "email": Tier.IDENTITY,
    "current_address": Tier.LOCATION,
    "note": Tier.NARRATIVE,
    "gender": Tier.METADATA,
    "age_uncertain": Tier.METADATA,
    "believed_child": Tier.METADATA,
}
# Fields whose change can move the age group or the child flag.
AGE_FIELDS = frozenset({"birth_date", "birth_date_precision", "age_uncertain", "believed_child"})
# The fields the search keys of a higher layer are computed from (palermo.cases.identity).
IDENTITY_KEYED = frozenset(
    {
        "given_names",
        "family_names",
        "given_names_latin",
        "family_names_latin",
        "birth_date",
        "birth_date_precision",
    }
)
TEXT_LIMITS = {
    "given_names": 200,
    "family_names": 200,
    "given_names_latin": 200,
    "family_names_latin": 200,
    "phone": 40,
    "email": 200,
    "current_address": 2000,
    "note": 20000,
}

PERSON_CHANGED = gettext_noop("Person details changed")


# --- derived values ----------------------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def person_is_child(person: Person, on: datetime.date) -> bool:
    return is_child(
        birth_date=person.birth_date,
        precision=person.birth_date_precision,
        age_uncertain=person.age_uncertain,
        believed_child=person.believed_child,
        on=on,
    )


def derive_person(person: Person, on: datetime.date) -> list[str]:
    """Set the person's derived values for `on`; returns the fields that changed."""
    group = age_group_on(person.birth_date, person.birth_date_precision, on)
    if group == person.age_group:
        return []
    person.age_group = group
    return ["age_group"]


# Facts that settle a case's child status over the persons' stated ages (an age assessment's conclusion):
# each returns True or False when it settles it, None when it has nothing to say. Registered by other areas.
ChildStatusSource = Callable[[Case], "bool | None"]
_child_status_sources: Registry[ChildStatusSource] = Registry()
register_child_status_source = _child_status_sources.add


def settled_child_status(case: Case) -> bool | None:
    for source in tuple(_child_status_sources):
        settled = source(case)
        if settled is not None:
            return settled
    return None


def derive_case_child_flag(
    case: Case,
    persons: Iterable[Person],
    on: datetime.date,
    *,
    actor: User | None = None,
    membership: Membership | None = None,
) -> bool:
    """Work out `case.is_child` from its persons (any child makes a child's case), unless a registered source
    (an age assessment) settles it, and hand it to the flag's one writer. Returns whether it moved. No actor:
    the system (a birthday passed)."""
    persons = list(persons)
    settled = settled_child_status(case)
    child = settled if settled is not None else any(person_is_child(person, on) for person in persons)
    then = case_child_when_exploited_set(
        actor=actor,
        membership=membership,
        case=case,
        child=child_when_exploited(persons, case.exploitation_began),
        source=SOURCE_PERSON_AGE,
    )
    now = case_child_flag_set(
        actor=actor, membership=membership, case=case, child=child, source=SOURCE_PERSON_AGE
    )
    return now or then


def child_when_exploited(persons: Iterable[Person], began: datetime.date | None) -> bool:
    """Whether any person could have been under the threshold on the first day of the month the exploitation
    began (the youngest possible age decides, as for a child today). The presumption of minority speaks of
    today: it makes the case a child's now (`is_child`), which the child rules already follow."""
    if began is None:
        return False
    for person in persons:
        try:
            if is_child(
                birth_date=person.birth_date,
                precision=person.birth_date_precision,
                age_uncertain=False,
                believed_child=False,
                on=began,
            ):
                return True
        except BornAfterTheDay:
            continue  # born after it began: the period or the birth date is wrong; not a child then
    return False


def person_refresh_derived(
    *,
    case: Case,
    on: datetime.date | None = None,
    actor: User | None = None,
    membership: Membership | None = None,
) -> bool:
    """Recompute every person's age group and the case's child flag for `on` (a birthday passed, say).
    Returns whether anything changed. Called by the services after a change, and usable on a schedule."""
    on = on or today()
    changed = False
    with transaction.atomic():
        persons = list(Person.objects.select_for_update().filter(case=case))
        for person in persons:
            fields = derive_person(person, on)
            if fields:
                person.save(update_fields=fields)
                changed = True
        changed = derive_case_child_flag(case, persons, on, actor=actor, membership=membership) or changed
    return changed


# --- validation --------------------------------------------------------------------------------------------


def clean_birth_date(
    birth_date: datetime.date | None, precision: str, on: datetime.date
) -> datetime.date | None:
    """A birth date stored in its canonical form for its precision (first day of the month or year), never
    wholly in the future."""
    if precision not in BirthDatePrecision.values:
        raise ValidationError({"birth_date_precision": _("Choose how precise the birth date is.")})
    if birth_date is None:
        return None
    if precision == BirthDatePrecision.YEAR:
        birth_date = birth_date.replace(month=1, day=1)
    elif precision == BirthDatePrecision.YEAR_MONTH:
        birth_date = birth_date.replace(day=1)
    try:
        age = age_on(birth_date, precision, on)
    except BornAfterTheDay:
        age = None
    if age is None:
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
    return birth_date


def _clean_text(name: str, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    limit = TEXT_LIMITS[name]
    if len(text) > limit:
        raise ValidationError({name: _("At most %(limit)d characters.") % {"limit": limit}})
    return text


def clean_person_changes(
    changes: Mapping[str, Any], *, on: datetime.date, current: Person | None = None
) -> dict[str, Any]:
    """Validated values for the fields in `changes` (unknown fields are refused, not ignored)."""
    unknown = set(changes) - set(PERSON_FIELD_TIERS)
    if unknown:
        raise ValidationError(_("Unknown person fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in TEXT_LIMITS:
            cleaned[name] = _clean_text(name, value)
        elif name in {"age_uncertain", "believed_child"}:
            cleaned[name] = bool(value)
        elif name == "gender":
            if value not in Gender.values:
                raise ValidationError({"gender": _("Choose a value from the list.")})
            cleaned[name] = value
    if "given_names" in cleaned and not cleaned["given_names"]:
        raise ValidationError({"given_names": _("Give at least the given names, or a name the person uses.")})
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if "birth_date" in changes or "birth_date_precision" in changes:
        birth_date = changes.get("birth_date", current.birth_date if current else None)
        precision = changes.get(
            "birth_date_precision", current.birth_date_precision if current else BirthDatePrecision.EXACT
        )
        if birth_date is not None and not isinstance(birth_date, datetime.date):
            raise ValidationError({"birth_date": _("Enter a valid date.")})
        cleaned["birth_date"] = clean_birth_date(birth_date, str(precision), on)
        cleaned["birth_date_precision"] = str(precision)
    return cleaned


# --- the person --------------------------------------------------------------------------------------------


def person_update(
    *,
    actor: User,
    membership: Membership,
    person: Person,
    changes: Mapping[str, Any],
    expected_version: int,
) -> Person:
    """Change some of a person's fields, stating the version read. Raises PermissionDenied when a field's
    tier may not be written, ValidationError for bad values, StaleEdit when someone saved first. A save that
    changes nothing writes nothing (but a stale version is still refused)."""
    case = person.case
    require_write(
        membership, case, (PERSON_FIELD_TIERS[name] for name in changes if name in PERSON_FIELD_TIERS)
    )
    on = today()
    with transaction.atomic():
        locked = lock_for_edit(Person, pk=person.pk, expected_version=expected_version)
        cleaned = clean_person_changes(changes, on=on, current=locked)
        changed = apply_changes(locked, cleaned)
        if not changed:
            return locked
        derived = derive_person(locked, on) if AGE_FIELDS.intersection(changed) else []
        bump_version(locked)
        locked.save(update_fields=[*changed, *derived, "version"])
        if AGE_FIELDS.intersection(changed):
            derive_case_child_flag(
                case, Person.objects.filter(case=case), on, actor=actor, membership=membership
            )
        tier = max(PERSON_FIELD_TIERS[name] for name in changed)
        entry = person_entry(PERSON_CHANGED, "person.update", tier, "person")
        record_entry(entry, locked, actor=actor, membership=membership, case=case)
        if IDENTITY_KEYED.intersection(changed):
            identity_changed([locked.pk])
    return locked


# A person's sub-records are written in `person_subrecords`; their services are named here too, where
# callers have always found them.
__all__ = [
    "AGE_FIELDS",
    "PERSON_FIELD_TIERS",
    "TEXT_LIMITS",
    "ChildStatusSource",
    "child_when_exploited",
    "clean_alias",
    "clean_birth_date",
    "clean_country",
    "clean_document",
    "clean_language",
    "clean_person_changes",
    "derive_case_child_flag",
    "derive_person",
    "identity_document_add",
    "identity_document_edit",
    "person_alias_add",
    "person_alias_remove",
    "person_citizenship_add",
    "person_citizenship_remove",
    "person_is_child",
    "person_language_add",
    "person_language_remove",
    "person_language_set_interpreter",
    "person_refresh_derived",
    "person_update",
    "register_child_status_source",
    "settled_child_status",
    "today",
]
