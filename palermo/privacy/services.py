"""Every write of the privacy area: legal holds, anonymisation (by the retention run or an erasure at the
person's request) and the retention run itself. Each change to a case goes on its timeline and the audit
record through `record_entry`.

Anonymising a case destroys every identity (T2), location (T3) and narrative (T4) value the case's records
hold, the blind indexes computed from them, and its documents (rows and stored files); it keeps the case and
its T0/T1 facts (status, phase, dates, forms of exploitation, age group, sex, nationality) for statistics.
The audit log is evidence and is not rewritten: its sealed notes stay sealed (decision 0044).
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from palermo.access.tiers import Tier
from palermo.accounts.models import Membership, User
from palermo.accounts.roles import Role
from palermo.cases import docstore
from palermo.cases.models import Case, CaseDocument, EventKind
from palermo.cases.services.timeline import Entry, record_entry
from palermo.core.concurrency import lock_for_edit
from palermo.core.rulebooks import rulebook
from palermo.privacy.models import Anonymisation, LegalHold
from palermo.privacy.periods import CLOSED_STATES, closed_early_enough, expired
from palermo.privacy.records import emptied, personal_records

ANONYMISED = Entry(
    gettext_noop("Personal data destroyed: the retention period ended"),
    "case.anonymise",
    Tier.METADATA,
    EventKind.STATUS,
    "case",
)
ERASED = Entry(
    gettext_noop("Personal data erased at the person's request"),
    "case.erase",
    Tier.METADATA,
    EventKind.STATUS,
    "case",
)
HOLD_PLACED = Entry(
    gettext_noop("Legal hold placed"), "legal_hold.place", Tier.METADATA, EventKind.STATUS, "legal_hold"
)
HOLD_LIFTED = Entry(
    gettext_noop("Legal hold lifted"), "legal_hold.lift", Tier.METADATA, EventKind.STATUS, "legal_hold"
)
HOLD_REASON_MAX = 500


def _dpo_only(membership: Membership) -> None:
    if membership.role != Role.DATA_PROTECTION_OFFICER:
        raise PermissionDenied("only a data protection officer acts on a case's retention")


def standing_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()


@transaction.atomic
def legal_hold_place(*, actor: User, membership: Membership, case: Case, reason: str) -> LegalHold:
    """Stop the case from being anonymised until the hold is lifted."""
    _dpo_only(membership)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the data must be kept."), code="required")
    if len(reason) > HOLD_REASON_MAX:
        raise ValidationError(_("Keep the reason under 500 characters."), code="max_length")
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if standing_hold(case) is not None:
        raise ValidationError(_("This case is already under a legal hold."), code="held")
    if hasattr(case, "anonymisation"):
        raise ValidationError(_("This case's personal data was already destroyed."), code="anonymised")
    hold = LegalHold.objects.create(case=case, reason=reason, placed_by=actor)
    record_entry(HOLD_PLACED, hold, actor=actor, membership=membership, case=case, note=reason)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, membership: Membership, case: Case) -> LegalHold:
    _dpo_only(membership)
    hold = LegalHold.objects.select_for_update().filter(case=case, lifted_at__isnull=True).first()
    if hold is None:
        raise ValidationError(_("This case is not under a legal hold."), code="not_held")
    hold.lifted_by, hold.lifted_at = actor, timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    record_entry(HOLD_LIFTED, hold, actor=actor, membership=membership, case=case)
    return hold


@dataclass(frozen=True)
class Destroyed:
    values: int
    documents: int


def _destroy(case: Case) -> Destroyed:
    """Destroy the case's personal values and documents (in the caller's transaction); counts only."""
    values = 0
    for record in personal_records():
        rows = record.of_case(case)
        names = [field.attname for field in record.destroyed]
        for stored in rows.values_list(*names):
            values += sum(1 for value in stored if value not in (None, ""))
        rows.update(**{field.attname: emptied(field) for field in record.destroyed})
    documents = CaseDocument.objects.filter(case=case)
    storage_names = list(documents.values_list("storage_name", flat=True))
    documents.delete()
    # The files go once the rows are gone for good: a rollback keeps both.
    transaction.on_commit(lambda: _discard_all(storage_names))
    return Destroyed(values, len(storage_names))


def _discard_all(storage_names: list[str]) -> None:
    for name in storage_names:
        docstore.discard(name)


def _anonymise(case: Case, why: str, *, actor: User | None, membership: Membership | None) -> Anonymisation:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if Anonymisation.objects.filter(case=locked).exists():
        raise ValidationError(_("This case's personal data was already destroyed."), code="anonymised")
    if standing_hold(locked) is not None:
        raise ValidationError(_("This case is under a legal hold: its data must be kept."), code="held")
    destroyed = _destroy(locked)
    # The case changed: an edit begun on it before is stale now.
    Case.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    done = Anonymisation.objects.create(
        case=locked, why=why, values_destroyed=destroyed.values, documents_deleted=destroyed.documents
    )
    entry = ANONYMISED if why == Anonymisation.Why.RETENTION else ERASED
    record_entry(
        entry,
        locked,
        actor=actor,
        membership=membership,
        reason=f"{destroyed.values} values destroyed, {destroyed.documents} documents deleted",
    )
    return done


@transaction.atomic
def case_anonymise(*, case: Case) -> Anonymisation:
    """The retention run's anonymisation of one expired case (the system acts)."""
    return _anonymise(case, Anonymisation.Why.RETENTION, actor=None, membership=None)


@transaction.atomic
def case_erase(*, actor: User, membership: Membership, case: Case, expected_version: int) -> Anonymisation:
    """Erase a closed case's personal data at the person's request, where the rulebook allows it. A case
    changed since it was read is refused (StaleEdit): its status is checked on the locked row."""
    _dpo_only(membership)
    case = lock_for_edit(Case, pk=case.pk, expected_version=expected_version)
    if not rulebook().retention.erasure_on_request:
        raise ValidationError(_("The law here does not allow erasure on request."), code="not_allowed")
    if case.status not in CLOSED_STATES:
        raise ValidationError(_("Only a closed case's data can be erased."), code="open")
    return _anonymise(case, Anonymisation.Why.ERASURE, actor=actor, membership=membership)


@dataclass
class RetentionReport:
    day: str
    expired: int = 0
    anonymised: int = 0
    held: int = 0
    values_destroyed: int = 0
    documents_deleted: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return asdict(self)


def _candidates(today: datetime.date) -> list[Case]:
    """Closed cases not yet anonymised whose period may have ended by `today`; each is then checked exactly
    by `expired`."""
    latest = closed_early_enough(today)
    return list(
        Case.objects.filter(status__in=CLOSED_STATES, closed_at__lte=latest, anonymisation__isnull=True).only(
            "pk", "status", "closed_at"
        )
    )


def retention_run(*, today: datetime.date | None = None, dry_run: bool = False) -> RetentionReport:
    """Anonymise every closed case whose retention period ended by `today`, one transaction per case; a
    case under a legal hold is counted and left. Returns counts, never names."""
    today = today or timezone.localdate()
    report = RetentionReport(day=today.isoformat())
    held = set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True))
    for case in _candidates(today):
        if not expired(case, today):
            continue
        report.expired += 1
        if case.pk in held:
            report.held += 1
            continue
        if dry_run:
            continue
        try:
            done = case_anonymise(case=case)
        except ValidationError:  # held or anonymised since the list was read
            report.held += 1
            continue
        report.anonymised += 1
        report.values_destroyed += done.values_destroyed
        report.documents_deleted += done.documents_deleted
    if report.anonymised:
        forget_freed_pages()
    return report


def forget_freed_pages() -> None:
    """On SQLite, fold the write-ahead log into the database file and truncate it, so the pages that held
    destroyed values leave the log (freed space is zeroed by PRAGMA secure_delete, set in settings). On
    PostgreSQL the old row versions go at the next vacuum; they are ciphertext (docs/privacy.md)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
