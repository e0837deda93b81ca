"""A person's sub-records: aliases (T2), citizenships and languages (T1), identity documents (T2).

One table row (`SubRecord`) per kind says its model, the tier it is written at, how its values are cleaned,
which value may not repeat for one person, and how each change is named: `person.<name>_<verb>` in the audit
log, its summary on the timeline. One add and one remove path serve every kind; each kind's named services
are those paths, plus the changes only one kind has (a language's interpreter, a document's fields).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.cases.identity import identity_changed
from palermo.cases.models import (
    Case,
    DocumentHolder,
    DocumentType,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
)
from palermo.cases.services.person_writes import apply_changes, person_entry, require_write
from palermo.cases.services.timeline import record_entry
from palermo.core import iso
from palermo.core.concurrency import already_saved, bump_version, lock_for_edit

MAX_ALIAS = 200
MAX_DOCUMENT_NUMBER = 60
DOCUMENT_FIELDS = ("type", "number", "issuing_country", "held_by")
DOCUMENT_DEFAULTS = {"number": "", "issuing_country": "", "held_by": DocumentHolder.UNKNOWN}

# --- cleaning ----------------------------------------------------------------------------------------------


def clean_alias(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Write the alias.")})
    if len(name) > MAX_ALIAS:
        raise ValidationError({"name": _("At most %(limit)d characters.") % {"limit": MAX_ALIAS}})
    return name


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


def clean_document(values: Mapping[str, Any]) -> dict[str, Any]:
    """The document fields given, validated (an edit gives only those it changes)."""
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


def _alias_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": clean_alias(values["name"])}


def _citizenship_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"country": clean_country(values["country"])}


def _language_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "language": clean_language(values["language"]),
        "needs_interpreter": bool(values.get("needs_interpreter", False)),
    }


def _new_document_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return clean_document({**DOCUMENT_DEFAULTS, **values})


# --- the kinds ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubRecord:
    """One kind of record hanging off a person, as its services write it."""

    model: type[PersonAlias | PersonCitizenship | PersonLanguage | IdentityDocument]
    tier: Tier
    name: str  # audit actions person.<name>_<verb>
    object_type: str
    clean: Callable[[Mapping[str, Any]], dict[str, Any]]  # a new record's values, validated
    summaries: Mapping[str, str]  # the timeline's summary for each verb the kind has (add, remove, ...)
    unique_field: str = ""  # a value recorded at most once for one person
    already: str | Promise = ""


ALIAS = SubRecord(
    PersonAlias,
    Tier.IDENTITY,
    "alias",
    "person_alias",
    _alias_values,
    {"add": gettext_noop("Alias added"), "remove": gettext_noop("Alias removed")},
)
CITIZENSHIP = SubRecord(
    PersonCitizenship,
    Tier.METADATA,
    "citizenship",
    "person_citizenship",
    _citizenship_values,
    {"add": gettext_noop("Citizenship added"), "remove": gettext_noop("Citizenship removed")},
    unique_field="country",
    already=_("This citizenship is already recorded."),
)
LANGUAGE = SubRecord(
    PersonLanguage,
    Tier.METADATA,
    "language",
    "person_language",
    _language_values,
    {
        "add": gettext_noop("Language added"),
        "remove": gettext_noop("Language removed"),
        "change": gettext_noop("Language changed"),
    },
    unique_field="language",
    already=_("This language is already recorded."),
)
DOCUMENT = SubRecord(
    IdentityDocument,
    Tier.IDENTITY,
    "document",
    "identity_document",
    _new_document_values,
    {"add": gettext_noop("Identity document added"), "edit": gettext_noop("Identity document changed")},
)


# --- one path for every kind -------------------------------------------------------------------------------


def _record_change(
    kind: SubRecord, verb: str, record: Model, *, actor: User, membership: Membership, case: Case
) -> None:
    entry = person_entry(kind.summaries[verb], f"person.{kind.name}_{verb}", kind.tier, kind.object_type)
    record_entry(entry, record, actor=actor, membership=membership, case=case)


def _held_already(kind: SubRecord, person: Person, cleaned: Mapping[str, Any]) -> Any:
    """The person's record of `kind` that already holds these very values (the same form sent twice): the
    add is done, nothing to write. A record with the same unique value but other values is refused."""
    unique = kind.unique_field
    if not unique:
        return None
    held = kind.model.objects.filter(person=person, **{unique: cleaned[unique]}).first()
    if held is None:
        return None
    if already_saved(held, cleaned):
        return held
    raise ValidationError({unique: kind.already})


def sub_record_add(
    kind: SubRecord, *, actor: User, membership: Membership, person: Person, values: Mapping[str, Any]
) -> Any:
    """Add one record of `kind` to the person. Write access to its tier is checked before its values are:
    PermissionDenied first, then ValidationError for a bad or already recorded value."""
    require_write(membership, person.case, [kind.tier])
    cleaned = kind.clean(values)
    with transaction.atomic():
        held = _held_already(kind, person, cleaned)
        if held is not None:
            return held
        record = kind.model(person=person, **cleaned)
        record.save()
        _record_change(kind, "add", record, actor=actor, membership=membership, case=person.case)
        if kind is ALIAS:
            identity_changed([person.pk])
    return record


def sub_record_remove(kind: SubRecord, *, actor: User, membership: Membership, record: Any) -> None:
    """Delete one record of `kind`, after checking write access to its tier."""
    case = record.person.case
    require_write(membership, case, [kind.tier])
    with transaction.atomic():
        kind.model.objects.filter(pk=record.pk).delete()  # the record keeps its pk for the entry
        _record_change(kind, "remove", record, actor=actor, membership=membership, case=case)
        if kind is ALIAS:
            identity_changed([record.person_id])


# --- each kind's services ----------------------------------------------------------------------------------


def person_alias_add(*, actor: User, membership: Membership, person: Person, name: str) -> PersonAlias:
    return sub_record_add(ALIAS, actor=actor, membership=membership, person=person, values={"name": name})


def person_alias_remove(*, actor: User, membership: Membership, alias: PersonAlias) -> None:
    sub_record_remove(ALIAS, actor=actor, membership=membership, record=alias)


def person_citizenship_add(
    *, actor: User, membership: Membership, person: Person, country: str
) -> PersonCitizenship:
    values = {"country": country}
    return sub_record_add(CITIZENSHIP, actor=actor, membership=membership, person=person, values=values)


def person_citizenship_remove(*, actor: User, membership: Membership, citizenship: PersonCitizenship) -> None:
    sub_record_remove(CITIZENSHIP, actor=actor, membership=membership, record=citizenship)


def person_language_add(
    *, actor: User, membership: Membership, person: Person, language: str, needs_interpreter: bool = False
) -> PersonLanguage:
    values = {"language": language, "needs_interpreter": needs_interpreter}
    return sub_record_add(LANGUAGE, actor=actor, membership=membership, person=person, values=values)


def person_language_set_interpreter(
    *, actor: User, membership: Membership, language: PersonLanguage, needs_interpreter: bool
) -> PersonLanguage:
    """Whether an interpreter is needed in this language: a yes/no, so two saves cannot lose anything."""
    case = language.person.case
    require_write(membership, case, [LANGUAGE.tier])
    with transaction.atomic():
        locked = PersonLanguage.objects.select_for_update().get(pk=language.pk)
        if not apply_changes(locked, {"needs_interpreter": bool(needs_interpreter)}):
            return locked
        locked.save(update_fields=["needs_interpreter"])
        _record_change(LANGUAGE, "change", locked, actor=actor, membership=membership, case=case)
    return locked


def person_language_remove(*, actor: User, membership: Membership, language: PersonLanguage) -> None:
    sub_record_remove(LANGUAGE, actor=actor, membership=membership, record=language)


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
    values = {"type": type, "number": number, "issuing_country": issuing_country, "held_by": held_by}
    return sub_record_add(DOCUMENT, actor=actor, membership=membership, person=person, values=values)


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
    require_write(membership, case, [DOCUMENT.tier])
    cleaned = clean_document(changes)
    with transaction.atomic():
        locked = lock_for_edit(IdentityDocument, pk=document.pk, expected_version=expected_version)
        changed = apply_changes(locked, cleaned)
        if not changed:
            return locked
        bump_version(locked)
        locked.save(update_fields=[*changed, "version"])
        _record_change(DOCUMENT, "edit", locked, actor=actor, membership=membership, case=case)
    return locked
