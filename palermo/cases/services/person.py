"""Persons on a case: identity, contact, whereabouts and the facts statistics count, each at its tier.

Who may change what is the access policy's answer for the tier of each field (`PERSON_FIELD_TIERS`): a
migration officer on the team writes identity (T2) but never sees or writes the current address (T3). An edit
states the version it read; a stale one raises `StaleEdit` and changes nothing.

Derived values are recomputed here, on every change that can move them, never typed in: the person's CTDC
age group and the case's child flag (`palermo.cases.age`, the rulebook's threshold and the presumption of
minority). Ages move with time too: `person_refresh_derived` recomputes them for a case on any day.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.policy import can_write
from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.audit.services import audit_record
from palermo.cases.age import BornAfterTheDay, age_group_on, age_on, is_child
from palermo.cases.models import (
    BirthDatePrecision,
    Case,
    DocumentHolder,
    DocumentType,
    EventKind,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
)
from palermo.cases.reference import Gender
from palermo.cases.services.timeline import case_event_add, in_record_language
from palermo.core import iso
from palermo.core.concurrency import bump_version, lock_for_edit

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
MAX_ALIAS = 200
MAX_DOCUMENT_NUMBER = 60

PERSON_CHANGED = gettext_noop("Person details changed")
ALIAS_ADDED = gettext_noop("Alias added")
ALIAS_REMOVED = gettext_noop("Alias removed")
CITIZENSHIP_ADDED = gettext_noop("Citizenship added")
CITIZENSHIP_REMOVED = gettext_noop("Citizenship removed")
LANGUAGE_ADDED = gettext_noop("Language added")
LANGUAGE_CHANGED = gettext_noop("Language changed")
LANGUAGE_REMOVED = gettext_noop("Language removed")
DOCUMENT_ADDED = gettext_noop("Identity document added")
DOCUMENT_CHANGED = gettext_noop("Identity document changed")


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
_child_status_sources: list[ChildStatusSource] = []


def register_child_status_source(source: ChildStatusSource) -> ChildStatusSource:
    if source not in _child_status_sources:
        _child_status_sources.append(source)
    return source


def settled_child_status(case: Case) -> bool | None:
    for source in tuple(_child_status_sources):
        settled = source(case)
        if settled is not None:
            return settled
    return None


def derive_case_child_flag(case: Case, persons: Iterable[Person], on: datetime.date) -> bool:
    """Set `case.is_child` from its persons (any child makes a child's case), unless a registered source
    (an age assessment) settles it, and save it when it moved.

    The flag is derived, not edited, so it does not bump the case's version: nobody's edit of the case can be
    lost by it.
    """
    settled = settled_child_status(case)
    child = settled if settled is not None else any(person_is_child(person, on) for person in persons)
    if case.is_child != child:
        case.is_child = child
        case.save(update_fields=["is_child"])
        return True
    return False


def person_refresh_derived(*, case: Case, on: datetime.date | None = None) -> bool:
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
        changed = derive_case_child_flag(case, persons, on) or changed
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


def _require_write(membership: Membership, case: Case, tiers: Iterable[Tier]) -> None:
    for tier in set(tiers):
        if not can_write(membership, case, tier):
            raise PermissionDenied(f"this membership may not write {tier.code} on this case")


def _record(
    *,
    actor: User,
    membership: Membership,
    case: Case,
    summary: str,
    tier: Tier,
    action: str,
    object_type: str,
    object_id: int,
) -> None:
    """The timeline entry and the audit event every change to a person writes, at the tier it touched."""
    case_event_add(
        actor=actor,
        membership=membership,
        case=case,
        kind=EventKind.PERSON,
        tier=int(tier),
        summary=in_record_language(summary),
        object_type=object_type,
        object_id=object_id,
    )
    audit_record(
        actor=actor,
        membership=membership,
        action=action,
        tier=int(tier),
        case=case,
        object_type=object_type,
        object_id=str(object_id),
    )


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
    _require_write(
        membership, case, (PERSON_FIELD_TIERS[name] for name in changes if name in PERSON_FIELD_TIERS)
    )
    on = today()
    with transaction.atomic():
        locked = lock_for_edit(Person, pk=person.pk, expected_version=expected_version)
        cleaned = clean_person_changes(changes, on=on, current=locked)
        changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        derived = derive_person(locked, on) if AGE_FIELDS.intersection(changed) else []
        bump_version(locked)
        locked.save(update_fields=[*changed, *derived, "version"])
        if AGE_FIELDS.intersection(changed):
            derive_case_child_flag(case, Person.objects.filter(case=case), on)
        _record(
            actor=actor,
            membership=membership,
            case=case,
            summary=PERSON_CHANGED,
            tier=max(PERSON_FIELD_TIERS[name] for name in changed),
            action="person.update",
            object_type="person",
            object_id=locked.pk,
        )
    return locked


# --- sub-records: aliases, citizenships, languages, identity documents -------------------------------------


@dataclass(frozen=True)
class SubRecord:
    """One kind of record hanging off a person: its model, the tier it is written at, how its changes are
    named in the audit log and on the timeline, and the field that may not repeat for one person."""

    model: type[PersonAlias | PersonCitizenship | PersonLanguage | IdentityDocument]
    tier: Tier
    name: str  # "alias": audit actions person.alias_add / person.alias_remove
    object_type: str
    added: str
    removed: str = ""
    unique_field: str = ""
    already: str | Promise = ""


ALIAS = SubRecord(PersonAlias, Tier.IDENTITY, "alias", "person_alias", ALIAS_ADDED, ALIAS_REMOVED)
CITIZENSHIP = SubRecord(
    PersonCitizenship,
    Tier.METADATA,
    "citizenship",
    "person_citizenship",
    CITIZENSHIP_ADDED,
    CITIZENSHIP_REMOVED,
    unique_field="country",
    already=_("This citizenship is already recorded."),
)
LANGUAGE = SubRecord(
    PersonLanguage,
    Tier.METADATA,
    "language",
    "person_language",
    LANGUAGE_ADDED,
    LANGUAGE_REMOVED,
    unique_field="language",
    already=_("This language is already recorded."),
)
DOCUMENT = SubRecord(IdentityDocument, Tier.IDENTITY, "document", "identity_document", DOCUMENT_ADDED)


def _sub_record_add(
    spec: SubRecord, *, actor: User, membership: Membership, person: Person, **values: Any
) -> Any:
    """Save one cleaned sub-record of the person, with its timeline entry and audit event (the caller has
    checked write access and cleaned the values). A value that may not repeat is refused if recorded."""
    with transaction.atomic():
        unique = spec.unique_field
        if unique and spec.model.objects.filter(person=person, **{unique: values[unique]}).exists():
            raise ValidationError({unique: spec.already})
        record = spec.model(person=person, **values)
        record.save()
        _record(
            actor=actor,
            membership=membership,
            case=person.case,
            summary=spec.added,
            tier=spec.tier,
            action=f"person.{spec.name}_add",
            object_type=spec.object_type,
            object_id=record.pk,
        )
    return record


def _sub_record_remove(spec: SubRecord, *, actor: User, membership: Membership, record: Any) -> None:
    """Delete one sub-record, with its timeline entry and audit event, after checking write access."""
    case = record.person.case
    _require_write(membership, case, [spec.tier])
    with transaction.atomic():
        record_id = record.pk
        spec.model.objects.filter(pk=record_id).delete()
        _record(
            actor=actor,
            membership=membership,
            case=case,
            summary=spec.removed,
            tier=spec.tier,
            action=f"person.{spec.name}_remove",
            object_type=spec.object_type,
            object_id=record_id,
        )


# --- aliases (T2) ------------------------------------------------------------------------------------------


def clean_alias(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Write the alias.")})
    if len(name) > MAX_ALIAS:
        raise ValidationError({"name": _("At most %(limit)d characters.") % {"limit": MAX_ALIAS}})
    return name


def person_alias_add(*, actor: User, membership: Membership, person: Person, name: str) -> PersonAlias:
    _require_write(membership, person.case, [ALIAS.tier])
    alias = _sub_record_add(ALIAS, actor=actor, membership=membership, person=person, name=clean_alias(name))
    return alias  # type: ignore[return-value]


def person_alias_remove(*, actor: User, membership: Membership, alias: PersonAlias) -> None:
    _sub_record_remove(ALIAS, actor=actor, membership=membership, record=alias)


# --- citizenships and languages (T1) -----------------------------------------------------------------------


def clean_country(value: str, field: str = "country") -> str:
    code = iso.normalise_country(value)
    if code is None:
        raise ValidationError({field: _("Choose a country (ISO 3166 alpha-3 code).")})
    return code


def clean_language(value: str, field: str = "language") -> str:
    code = iso.normalise_language(value)
    if code is None:
        raise ValidationError({field: _("Choose a language (ISO 639-2 code).")})
    return code


def person_citizenship_add(
    *, actor: User, membership: Membership, person: Person, country: str
) -> PersonCitizenship:
    _require_write(membership, person.case, [CITIZENSHIP.tier])
    code = clean_country(country)
    citizenship = _sub_record_add(
        CITIZENSHIP, actor=actor, membership=membership, person=person, country=code
    )
    return citizenship  # type: ignore[return-value]


def person_citizenship_remove(*, actor: User, membership: Membership, citizenship: PersonCitizenship) -> None:
    _sub_record_remove(CITIZENSHIP, actor=actor, membership=membership, record=citizenship)


def person_language_add(
    *, actor: User, membership: Membership, person: Person, language: str, needs_interpreter: bool = False
) -> PersonLanguage:
    _require_write(membership, person.case, [LANGUAGE.tier])
    code = clean_language(language)
    entry = _sub_record_add(
        LANGUAGE,
        actor=actor,
        membership=membership,
        person=person,
        language=code,
        needs_interpreter=bool(needs_interpreter),
    )
    return entry  # type: ignore[return-value]


def person_language_set_interpreter(
    *, actor: User, membership: Membership, language: PersonLanguage, needs_interpreter: bool
) -> PersonLanguage:
    """Whether an interpreter is needed in this language: a yes/no, so two saves cannot lose anything."""
    case = language.person.case
    _require_write(membership, case, [Tier.METADATA])
    with transaction.atomic():
        locked = PersonLanguage.objects.select_for_update().get(pk=language.pk)
        if locked.needs_interpreter == bool(needs_interpreter):
            return locked
        locked.needs_interpreter = bool(needs_interpreter)
        locked.save(update_fields=["needs_interpreter"])
        _record(
            actor=actor,
            membership=membership,
            case=case,
            summary=LANGUAGE_CHANGED,
            tier=Tier.METADATA,
            action="person.language_change",
            object_type="person_language",
            object_id=locked.pk,
        )
    return locked


def person_language_remove(*, actor: User, membership: Membership, language: PersonLanguage) -> None:
    _sub_record_remove(LANGUAGE, actor=actor, membership=membership, record=language)


# --- identity documents (T2) -------------------------------------------------------------------------------

DOCUMENT_FIELDS = ("type", "number", "issuing_country", "held_by")


def clean_document(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(DOCUMENT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown document fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    cleaned: dict[str, Any] = {}
    if "type" in values:
        if values["type"] not in DocumentType.values:
            raise ValidationError({"type": _("Choose a type of document.")})
        cleaned["type"] = values["type"]
    if "number" in values:
        number = str(values["number"] or "").strip()
        if len(number) > MAX_DOCUMENT_NUMBER:
            raise ValidationError(
                {"number": _("At most %(limit)d characters.") % {"limit": MAX_DOCUMENT_NUMBER}}
            )
        cleaned["number"] = number
    if "issuing_country" in values:
        country = str(values["issuing_country"] or "").strip()
        cleaned["issuing_country"] = clean_country(country, "issuing_country") if country else ""
    if "held_by" in values:
        if values["held_by"] not in DocumentHolder.values:
            raise ValidationError({"held_by": _("Choose who holds the document.")})
        cleaned["held_by"] = values["held_by"]
    return cleaned


def identity_document_add(
    *,
    actor: User,
    membership: Membership,
    person: Person,
    type: str,
    number: str = "",
    issuing_country: str = "",
    held_by: str = DocumentHolder.UNKNOWN,
) -> IdentityDocument:
    _require_write(membership, person.case, [DOCUMENT.tier])
    cleaned = clean_document(
        {"type": type, "number": number, "issuing_country": issuing_country, "held_by": held_by}
    )
    document = _sub_record_add(DOCUMENT, actor=actor, membership=membership, person=person, **cleaned)
    return document  # type: ignore[return-value]


def identity_document_edit(
    *,
    actor: User,
    membership: Membership,
    document: IdentityDocument,
    changes: Mapping[str, Any],
    expected_version: int,
) -> IdentityDocument:
    """Change a document's fields, stating the version read; StaleEdit when someone saved first."""
    case = document.person.case
    _require_write(membership, case, [Tier.IDENTITY])
    cleaned = clean_document(changes)
    with transaction.atomic():
        locked = lock_for_edit(IdentityDocument, pk=document.pk, expected_version=expected_version)
        changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        bump_version(locked)
        locked.save(update_fields=[*changed, "version"])
        _record(
            actor=actor,
            membership=membership,
            case=case,
            summary=DOCUMENT_CHANGED,
            tier=Tier.IDENTITY,
            action="person.document_edit",
            object_type="identity_document",
            object_id=locked.pk,
        )
    return locked
