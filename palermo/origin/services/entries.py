"""Country information entries: add, change (a new revision when the content changes), review, mark out of
date. Every write is audited (T0: the base holds no personal data) and every edit states the version read."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from palermo.accounts.models import Membership, User
from palermo.cases.docstore import FileType, sniff
from palermo.core.concurrency import bump_version, lock_for_edit
from palermo.core.periods import add_months
from palermo.core.rulebooks import rulebook
from palermo.origin.models import CountryEntry, EntryStatus, Revision, SourceFile, Topic
from palermo.origin.services.common import audit_write, clean_place, require_editor, today

MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass
class EntryData:
    """What an entry says; the same for adding, changing and importing."""

    country: str
    topic: str
    source_title: str
    source_publisher: str
    source_date: datetime.date | None
    summary: str
    reliability: str
    region: str = ""
    source_link: str = ""


@dataclass(frozen=True)
class Upload:
    """A source file as sent: its name and bytes (its type is judged from the bytes)."""

    name: str
    content: bytes


CONTENT_FIELDS = tuple(field for field in EntryData.__dataclass_fields__)


# The entry's required texts, each with its longest length and what to say when it is missing or longer: the
# source's title and publisher on one line (white space folded), then what it says and how reliable it is.
HEADING_TEXTS = (
    ("source_title", 300, gettext_noop("Give the title of the source (at most 300 characters).")),
    ("source_publisher", 200, gettext_noop("Name who published the source (at most 200 characters).")),
)
BODY_TEXTS = (
    ("summary", 5000, gettext_noop("Summarise what the source says (at most 5000 characters).")),
    ("reliability", 2000, gettext_noop("Say how reliable the source is (at most 2000 characters).")),
)


def _clean_texts(
    data: EntryData, errors: dict[str, str], texts: tuple[tuple[str, int, str], ...], *, fold: bool
) -> dict[str, Any]:
    """The `texts` of the entry trimmed (`fold`: their white space folded to single spaces); a missing or too
    long one is named in `errors`."""
    cleaned: dict[str, Any] = {}
    for name, limit, problem in texts:
        value = getattr(data, name) or ""
        text = " ".join(value.split()) if fold else value.strip()
        if not text or len(text) > limit:
            errors[name] = _(problem)
        cleaned[name] = text
    return cleaned


def clean_entry(data: EntryData) -> EntryData:
    """The entry's values checked and normalised; a ValidationError names every field that is wrong."""
    errors: dict[str, str] = {}
    country, region = clean_place(data.country, data.region, errors)
    if data.topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    texts = _clean_texts(data, errors, HEADING_TEXTS, fold=True)
    if not isinstance(data.source_date, datetime.date):
        errors["source_date"] = _("Give the date of the source.")
    elif data.source_date > today():
        errors["source_date"] = _("The date of the source cannot be in the future.")
    link = (data.source_link or "").strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["source_link"] = _("Give a web address starting with https:// or http://.")
        if len(link) > 500:
            errors["source_link"] = _("A web address holds at most 500 characters.")
    texts |= _clean_texts(data, errors, BODY_TEXTS, fold=False)
    if errors:
        raise ValidationError(errors)
    return replace(data, country=country, region=region, source_link=link, **texts)


def clean_upload(upload: Upload | None) -> tuple[Upload, FileType] | None:
    """The upload with its type judged by content (the document store's accepted types), or refused."""
    if upload is None:
        return None
    if not upload.content or len(upload.content) > MAX_FILE_BYTES:
        raise ValidationError({"source_file": _("The file is empty or larger than 10 MB.")})
    kind = sniff(upload.content)
    if kind is None:
        raise ValidationError(
            {"source_file": _("Upload the source as PDF, plain text, Word or OpenDocument.")}
        )
    name = " ".join(upload.name.replace("/", " ").replace("\\", " ").split())[:200] or "source"
    return Upload(name, upload.content), kind


def data_content(data: EntryData, source: SourceFile | None = None) -> dict[str, Any]:
    """An entry's content, as a revision keeps it and its hash covers it (the file by its SHA-256)."""
    content: dict[str, Any] = asdict(data)
    content["source_date"] = data.source_date.isoformat() if data.source_date else None
    content["source_file"] = {"name": source.name, "sha256": source.sha256} if source else None
    return content


def content_of(entry: CountryEntry) -> dict[str, Any]:
    data = EntryData(**{name: getattr(entry, name) for name in CONTENT_FIELDS})
    return data_content(data, entry.source_file if has_source_file(entry) else None)


def has_source_file(entry: CountryEntry) -> bool:
    try:
        entry.source_file  # noqa: B018 - the reverse one-to-one raises when there is none
    except SourceFile.DoesNotExist:
        return False
    return True


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def review_due_on(entry: CountryEntry) -> datetime.date:
    """The day an entry falls due for review: the rulebook's `origin.review_months` after its last review."""
    return add_months(entry.reviewed_on, rulebook().origin.review_months)


def review_cutoff(on: datetime.date | None = None) -> datetime.date:
    """Entries last reviewed on or before this day are due for review on `on` (today)."""
    return add_months(on or today(), -rulebook().origin.review_months)


def _store_file(entry: CountryEntry, checked: tuple[Upload, FileType]) -> None:
    upload, kind = checked
    SourceFile.objects.filter(entry=entry).delete()
    entry.source_file = SourceFile.objects.create(
        entry=entry,
        name=upload.name,
        content_type=kind.content_type,
        content=upload.content,
        sha256=hashlib.sha256(upload.content).hexdigest(),
    )


def _revise(entry: CountryEntry, actor: User | None) -> bool:
    """Keep the entry's content as a new revision when it differs from the last; whether it did."""
    content = content_of(entry)
    digest = content_hash(content)
    if digest == entry.content_hash:
        return False
    last = entry.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    entry.content_hash = digest
    Revision.objects.create(
        entry=entry,
        number=last + 1,
        content_hash=digest,
        content=content,
        saved_by=actor,
        saved_at=timezone.now(),
    )
    return True


def entry_create(
    *,
    actor: User | None,
    membership: Membership | None,
    data: EntryData,
    upload: Upload | None = None,
    is_sample: bool = False,
    audited: bool = True,
    reviewed_on: datetime.date | None = None,
) -> CountryEntry:
    """Add an entry, current, reviewed today or on the day given (an import from another base keeps its
    last review). `membership` None is the system (an import, which checks and audits it, or the demo)."""
    if membership is not None:
        require_editor(membership)
    data, checked = clean_entry(data), clean_upload(upload)
    if reviewed_on is not None and not (data.source_date or reviewed_on) <= reviewed_on <= today():
        raise ValidationError(
            {"reviewed_on": _("The last review falls between the source's date and today.")}
        )
    now = timezone.now()
    with transaction.atomic():
        entry = CountryEntry(
            **asdict(data),
            reviewed_on=reviewed_on or today(),
            is_sample=is_sample,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        entry.save()
        if checked is not None:
            _store_file(entry, checked)
        _revise(entry, actor)
        entry.save(update_fields=["content_hash"])
        if audited:
            audit_write("origin.entry_create", entry, actor=actor, membership=membership)
        return entry


def entry_update(
    *,
    actor: User,
    membership: Membership,
    entry: CountryEntry,
    data: EntryData,
    expected_version: int,
    upload: Upload | None = None,
) -> CountryEntry:
    """Change an entry, stating the version read (StaleEdit when someone saved first). A change of content
    makes a new revision: decisions that cited an earlier one show that the entry changed."""
    require_editor(membership)
    data, checked = clean_entry(data), clean_upload(upload)
    with transaction.atomic():
        locked = lock_for_edit(CountryEntry, pk=entry.pk, expected_version=expected_version)
        for name, value in asdict(data).items():
            setattr(locked, name, value)
        if checked is not None:
            _store_file(locked, checked)
        _revise(locked, actor)
        bump_version(locked)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*CONTENT_FIELDS, "content_hash", "version", "updated_at"])
        audit_write("origin.entry_update", locked, actor=actor, membership=membership)
        return locked


def _set_status(
    entry: CountryEntry, expected_version: int, status: str, action: str, actor: User, membership: Membership
) -> CountryEntry:
    require_editor(membership)
    with transaction.atomic():
        locked = lock_for_edit(CountryEntry, pk=entry.pk, expected_version=expected_version)
        locked.status = status
        fields = ["status", "version", "updated_at"]
        if status == EntryStatus.CURRENT:
            locked.reviewed_on = today()
            fields.append("reviewed_on")
        bump_version(locked)
        locked.updated_at = timezone.now()
        locked.save(update_fields=fields)
        audit_write(action, locked, actor=actor, membership=membership)
        return locked


def entry_review(
    *, actor: User, membership: Membership, entry: CountryEntry, expected_version: int
) -> CountryEntry:
    """Confirm the entry still holds: reviewed today, current again (its content does not change)."""
    return _set_status(entry, expected_version, EntryStatus.CURRENT, "origin.entry_review", actor, membership)


def entry_mark_out_of_date(
    *, actor: User, membership: Membership, entry: CountryEntry, expected_version: int
) -> CountryEntry:
    """The entry no longer holds: it stays readable (decisions cite it), marked out of date."""
    return _set_status(
        entry, expected_version, EntryStatus.OUT_OF_DATE, "origin.entry_out_of_date", actor, membership
    )
